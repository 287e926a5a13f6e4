/* Directory search enhancements: the results map and "use my location".
   The page works fully without this file: the list of results and the form are plain HTML. */
(function () {
    "use strict";

    function showJsOnly() {
        document.querySelectorAll(".js-only[hidden]").forEach(function (el) {
            el.hidden = false;
        });
    }

    function setUpLocationButton() {
        var button = document.querySelector("[data-use-location]");
        var status = document.querySelector("[data-location-status]");
        var near = document.getElementById("id_near");
        if (!button || !status || !near || !("geolocation" in navigator)) {
            if (button) { button.hidden = true; }
            return;
        }

        function say(message, problem) {
            status.textContent = message;
            status.classList.toggle("location-status--problem", Boolean(problem));
        }

        function refused(error) {
            // Whatever went wrong, the person can still type a place: say so, and put them there.
            var denied = error && error.code === 1;  // PERMISSION_DENIED
            say(button.getAttribute(denied ? "data-denied" : "data-unavailable"), true);
            busy = false;
            near.focus();
        }

        var busy = false;
        button.addEventListener("click", function () {
            if (busy) { return; }
            busy = true;
            say(button.getAttribute("data-finding"), false);
            try {
                navigator.geolocation.getCurrentPosition(function (position) {
                    // The server names the point by its district ("Lewisham (SE13)").
                    near.value = position.coords.latitude.toFixed(5) + "," + position.coords.longitude.toFixed(5);
                    near.form.submit();
                }, refused, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
            } catch (error) {
                refused(error);
            }
        });
    }

    function setUpMap() {
        var element = document.getElementById("results-map");
        var data = document.getElementById("map-points");
        if (!element || !data || typeof L === "undefined") { return; }
        var payload = JSON.parse(data.textContent);
        if (!payload.points.length && !payload.centre) { element.hidden = true; return; }
        element.hidden = false;
        var map = L.map(element, { scrollWheelZoom: false });
        L.tileLayer(element.getAttribute("data-tiles"), {
            maxZoom: 18, attribution: element.getAttribute("data-attribution")
        }).addTo(map);
        var bounds = [];
        payload.points.forEach(function (point) {
            // Markers are a picture of the list below, not controls: the list's links are the
            // way to each service, for keyboard, screen reader and touch users alike.
            L.marker([point.lat, point.lon], { interactive: false, keyboard: false, alt: "" }).addTo(map);
            bounds.push([point.lat, point.lon]);
        });
        if (payload.centre) { bounds.push([payload.centre.lat, payload.centre.lon]); }
        if (bounds.length === 1) { map.setView(bounds[0], 13); } else { map.fitBounds(bounds, { padding: [30, 30] }); }
    }

    document.addEventListener("DOMContentLoaded", function () {
        showJsOnly();
        setUpLocationButton();
        setUpMap();
    });
})();
