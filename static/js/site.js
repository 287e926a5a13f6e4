/* The header's disclosures (templates/base.html). They work without this script: closed on
   phones, shown as bars on wide screens by CSS. This opens them on wide screens in browsers
   that cannot show a closed disclosure's content, keeps one open at a time on phones, and
   closes an open one with Escape, returning focus to its button. */
(function () {
    "use strict";
    var menus = Array.prototype.slice.call(document.querySelectorAll(".header-menu"));
    if (!menus.length) return;
    var wide = window.matchMedia("(min-width: 60em)");
    var cssShowsContent = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");

    function layout() {
        menus.forEach(function (menu) {
            if (wide.matches && !cssShowsContent) {
                menu.removeAttribute("name");
                menu.open = true;
            } else if (!cssShowsContent) {
                menu.open = false;
            }
        });
    }

    menus.forEach(function (menu) {
        menu.addEventListener("toggle", function () {
            if (!menu.open || wide.matches) return;
            menus.forEach(function (other) {
                if (other !== menu) other.open = false;
            });
        });
    });

    document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape" || wide.matches) return;
        menus.forEach(function (menu) {
            if (menu.open && menu.contains(document.activeElement)) {
                menu.open = false;
                menu.querySelector("summary").focus();
            }
        });
    });

    layout();
    if (wide.addEventListener) wide.addEventListener("change", layout);
})();
