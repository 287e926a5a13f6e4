"""The demo site's pages in English and their translations.

Translations are keyed by the English text of each translatable segment, as wagtail-localize
extracts them, so they load through the same translation memory that editors use.
"""

HOME = {
    "slug": "home",
    "title": "Nobody should face dying, death or grief alone",
    "introduction": (
        "We bring neighbours, volunteers and local services together so that people who are "
        "dying, caring or grieving can find help close to home."
    ),
    "body": [
        (
            "quote",
            {
                "quote": (
                    "When my husband was dying, a neighbour I had never met walked our dog every "
                    "morning. It meant I could stay by his side."
                ),
                "attribution": "A carer in Lewisham",
            },
        ),
    ],
}

STANDARD_PAGES = [
    {
        "slug": "about-us",
        "title": "About us",
        "introduction": (
            "We are a compassionate-communities network: local people, groups and services who "
            "believe that caring for each other at the end of life is everyone's business."
        ),
        "body": [
            ("heading", {"text": "What we believe", "level": "h2"}),
            (
                "paragraph",
                "<p>Dying, death and loss happen to all of us. Most of that time is spent at "
                "home and among neighbours, not with professionals.</p>",
            ),
            (
                "paragraph",
                "<p>Every person should be seen as an individual, and everyone should be able "
                "to get help, whoever and wherever they are.</p>",
            ),
            ("heading", {"text": "Who we work with", "level": "h2"}),
            (
                "paragraph",
                "<p>Hospices, GP practices, faith groups, schools, libraries and local "
                "charities, and the volunteers who give their time.</p>",
            ),
        ],
    },
    {
        "slug": "accessibility",
        "footer": "accessibility_page",  # linked from the footer, not the main menu
        "title": "Accessibility statement",
        "introduction": "We want as many people as possible to be able to use this website.",
        "body": [
            (
                "paragraph",
                "<p>This website aims to meet the Web Content Accessibility Guidelines (WCAG) "
                "2.2 at level AA. Every page works without JavaScript, can be used with a "
                "keyboard alone, and can be zoomed to 400% without losing content.</p>",
            ),
            (
                "paragraph",
                "<p>The interface is available in English, Welsh, Polish, Bengali, Urdu and "
                "Arabic. Urdu and Arabic pages are laid out from right to left.</p>",
            ),
            ("heading", {"text": "Tell us about a problem", "level": "h2"}),
            (
                "paragraph",
                "<p>If something on this website does not work for you, please tell us. We aim "
                "to reply within five working days.</p>",
            ),
        ],
    },
    {
        "slug": "privacy",
        "footer": "privacy_page",
        "title": "Privacy notice",
        "introduction": "How we look after the personal information you share with us.",
        "body": [
            (
                "paragraph",
                "<p>When you ask for help, we share your contact details only with the one "
                "volunteer who agrees to help you, and only if you have said we may.</p>",
            ),
            (
                "paragraph",
                "<p>You can withdraw your consent at any time. You can ask for a copy of what "
                "we hold about you, or ask us to delete it.</p>",
            ),
        ],
    },
]

# Translations of the English segments above, by language code.
TRANSLATIONS = {
    "home": {
        "cy": {
            "Nobody should face dying, death or grief alone": (
                "Ni ddylai neb wynebu marw, marwolaeth na galar ar ei ben ei hun"
            ),
            HOME["introduction"]: (
                "Rydym yn dod â chymdogion, gwirfoddolwyr a gwasanaethau lleol at ei gilydd fel "
                "y gall pobl sy'n marw, yn gofalu neu'n galaru gael help yn agos at adref."
            ),
            HOME["body"][0][1]["quote"]: (
                "Pan oedd fy ngŵr yn marw, roedd cymydog nad oeddwn erioed wedi cwrdd ag ef yn "
                "mynd â'n ci am dro bob bore. Roedd yn golygu y gallwn aros wrth ei ochr."
            ),
            "A carer in Lewisham": "Gofalwr yn Lewisham",
        },
        "pl": {
            "Nobody should face dying, death or grief alone": (
                "Nikt nie powinien sam mierzyć się z umieraniem, śmiercią ani żałobą"
            ),
            HOME["introduction"]: (
                "Łączymy sąsiadów, wolontariuszy i lokalne służby, aby osoby umierające, "
                "opiekunowie i osoby w żałobie mogły znaleźć pomoc blisko domu."
            ),
            HOME["body"][0][1]["quote"]: (
                "Kiedy mój mąż umierał, sąsiad, którego nigdy wcześniej nie spotkałam, "
                "wyprowadzał naszego psa każdego ranka. Dzięki temu mogłam być przy mężu."
            ),
            "A carer in Lewisham": "Opiekunka z Lewisham",
        },
        "bn": {
            "Nobody should face dying, death or grief alone": (
                "মৃত্যুপথযাত্রা, মৃত্যু বা শোকের মুখোমুখি কাউকে যেন একা হতে না হয়"
            ),
            HOME["introduction"]: (
                "আমরা প্রতিবেশী, স্বেচ্ছাসেবক এবং স্থানীয় সেবাগুলোকে একত্র করি, যাতে মৃত্যুপথযাত্রী, "
                "পরিচর্যাকারী বা শোকার্ত মানুষ ঘরের কাছেই সাহায্য পান।"
            ),
            HOME["body"][0][1]["quote"]: (
                "আমার স্বামী যখন মৃত্যুশয্যায়, এক অচেনা প্রতিবেশী প্রতিদিন সকালে আমাদের কুকুরটিকে "
                "হাঁটাতে নিয়ে যেতেন। তাই আমি তাঁর পাশে থাকতে পেরেছিলাম।"
            ),
            "A carer in Lewisham": "লুইশামের একজন পরিচর্যাকারী",
        },
        "ur": {
            "Nobody should face dying, death or grief alone": (
                "کسی کو بھی موت کے قریب ہونے، موت یا غم کا سامنا اکیلے نہیں کرنا چاہیے"
            ),
            HOME["introduction"]: (
                "ہم پڑوسیوں، رضاکاروں اور مقامی خدمات کو اکٹھا کرتے ہیں تاکہ وہ لوگ جو زندگی کے "
                "آخری دنوں میں ہیں، دیکھ بھال کر رہے ہیں یا غم زدہ ہیں، گھر کے قریب مدد پا سکیں۔"
            ),
            HOME["body"][0][1]["quote"]: (
                "جب میرے شوہر آخری سانسیں لے رہے تھے، ایک پڑوسی جن سے میں کبھی نہیں ملی تھی، ہر "
                "صبح ہمارے کتے کو سیر کراتے تھے۔ اس کی وجہ سے میں ان کے پاس رہ سکی۔"
            ),
            "A carer in Lewisham": "لیوشم میں ایک دیکھ بھال کرنے والی",
        },
        "ar": {
            "Nobody should face dying, death or grief alone": (
                "لا ينبغي لأحد أن يواجه الاحتضار أو الموت أو الحزن وحده"
            ),
            HOME["introduction"]: (
                "نجمع الجيران والمتطوعين والخدمات المحلية معًا حتى يجد من يقتربون من نهاية "
                "حياتهم ومقدمو الرعاية والمفجوعون المساعدةَ قريبًا من بيوتهم."
            ),
            HOME["body"][0][1]["quote"]: (
                "عندما كان زوجي يحتضر، كان جار لم ألتقِ به من قبل يمشّي كلبنا كل صباح. "
                "وهذا ما أتاح لي البقاء إلى جانبه."
            ),
            "A carer in Lewisham": "مقدّمة رعاية في لويشام",
        },
    },
    "about-us": {
        "cy": {
            "About us": "Amdanom ni",
            STANDARD_PAGES[0]["introduction"]: (
                "Rydym yn rhwydwaith cymunedau tosturiol: pobl, grwpiau a gwasanaethau lleol "
                "sy'n credu bod gofalu am ein gilydd ar ddiwedd oes yn fusnes i bawb."
            ),
            "What we believe": "Yr hyn rydym yn ei gredu",
            "Dying, death and loss happen to all of us. Most of that time is spent at home "
            "and among neighbours, not with professionals.": (
                "Mae marw, marwolaeth a cholled yn digwydd i bob un ohonom. Treulir y rhan fwyaf "
                "o'r amser hwnnw gartref ac ymysg cymdogion, nid gyda gweithwyr proffesiynol."
            ),
            "Every person should be seen as an individual, and everyone should be able to get "
            "help, whoever and wherever they are.": (
                "Dylai pob person gael ei weld fel unigolyn, a dylai pawb allu cael help, pwy "
                "bynnag a ble bynnag y bônt."
            ),
            "Who we work with": "Gyda phwy rydym yn gweithio",
            "Hospices, GP practices, faith groups, schools, libraries and local charities, and "
            "the volunteers who give their time.": (
                "Hosbisau, meddygfeydd, grwpiau ffydd, ysgolion, llyfrgelloedd ac elusennau "
                "lleol, a'r gwirfoddolwyr sy'n rhoi o'u hamser."
            ),
        },
        "ur": {
            "About us": "ہمارے بارے میں",
            STANDARD_PAGES[0]["introduction"]: (
                "ہم ہمدرد برادریوں کا ایک نیٹ ورک ہیں: مقامی لوگ، گروپ اور خدمات جو یقین رکھتے "
                "ہیں کہ زندگی کے آخری حصے میں ایک دوسرے کا خیال رکھنا سب کی ذمہ داری ہے۔"
            ),
            "What we believe": "ہمارا یقین",
            "Dying, death and loss happen to all of us. Most of that time is spent at home "
            "and among neighbours, not with professionals.": (
                "موت کا قریب آنا، موت اور جدائی ہم سب کے ساتھ ہوتی ہے۔ اس کا زیادہ تر وقت گھر "
                "پر اور پڑوسیوں کے درمیان گزرتا ہے، ماہرین کے ساتھ نہیں۔"
            ),
            "Every person should be seen as an individual, and everyone should be able to get "
            "help, whoever and wherever they are.": (
                "ہر شخص کو ایک فرد کے طور پر دیکھا جانا چاہیے، اور ہر ایک کو مدد ملنی چاہیے، "
                "چاہے وہ کوئی بھی ہو اور کہیں بھی ہو۔"
            ),
            "Who we work with": "ہم کن کے ساتھ کام کرتے ہیں",
            "Hospices, GP practices, faith groups, schools, libraries and local charities, and "
            "the volunteers who give their time.": (
                "ہاسپس، جی پی کلینک، مذہبی گروپ، اسکول، لائبریریاں اور مقامی خیراتی ادارے، اور "
                "وہ رضاکار جو اپنا وقت دیتے ہیں۔"
            ),
        },
    },
}

_ABOUT = STANDARD_PAGES[0]
_BELIEVE_1 = (
    "Dying, death and loss happen to all of us. Most of that time is spent at home "
    "and among neighbours, not with professionals."
)
_BELIEVE_2 = (
    "Every person should be seen as an individual, and everyone should be able to get "
    "help, whoever and wherever they are."
)
_WORK_WITH = (
    "Hospices, GP practices, faith groups, schools, libraries and local charities, and "
    "the volunteers who give their time."
)
TRANSLATIONS["about-us"].update(
    {
        "pl": {
            "About us": "O nas",
            _ABOUT["introduction"]: (
                "Jesteśmy siecią życzliwych społeczności: mieszkańcami, grupami i służbami, "
                "które wierzą, że troska o siebie nawzajem u kresu życia to sprawa nas wszystkich."
            ),
            "What we believe": "W co wierzymy",
            _BELIEVE_1: (
                "Umieranie, śmierć i strata dotykają nas wszystkich. Większość tego czasu "
                "spędzamy w domu i wśród sąsiadów, nie wśród specjalistów."
            ),
            _BELIEVE_2: (
                "Każdy powinien być traktowany jak osoba, a nie przypadek, i każdy powinien móc "
                "dostać pomoc, kimkolwiek i gdziekolwiek jest."
            ),
            "Who we work with": "Z kim współpracujemy",
            _WORK_WITH: (
                "Z hospicjami, przychodniami, wspólnotami wyznaniowymi, szkołami, bibliotekami "
                "i lokalnymi organizacjami, a także z wolontariuszami, którzy dają swój czas."
            ),
        },
        "bn": {
            "About us": "আমাদের সম্পর্কে",
            _ABOUT["introduction"]: (
                "আমরা একটি সহমর্মী সমাজের নেটওয়ার্ক: স্থানীয় মানুষ, দল ও সেবা, যারা "
                "বিশ্বাস করে যে জীবনের শেষ সময়ে একে অপরের যত্ন নেওয়া সবার দায়িত্ব।"
            ),
            "What we believe": "আমরা যা বিশ্বাস করি",
            _BELIEVE_1: (
                "মৃত্যুপথযাত্রা, মৃত্যু ও হারানো আমাদের সবার জীবনেই আসে। সেই সময়ের বেশিরভাগ "
                "কাটে ঘরে ও প্রতিবেশীদের মাঝে, পেশাদারদের সঙ্গে নয়।"
            ),
            _BELIEVE_2: (
                "প্রত্যেক মানুষকে আলাদা একজন মানুষ হিসেবে দেখা উচিত, আর সবাই যেন সাহায্য "
                "পান, তিনি যে-ই হোন, যেখানেই থাকুন।"
            ),
            "Who we work with": "আমরা কাদের সঙ্গে কাজ করি",
            _WORK_WITH: (
                "হসপিস, জিপি প্র্যাকটিস, ধর্মীয় দল, স্কুল, লাইব্রেরি ও স্থানীয় দাতব্য "
                "সংস্থা, আর সেই স্বেচ্ছাসেবকেরা যাঁরা তাঁদের সময় দেন।"
            ),
        },
        "ar": {
            "About us": "من نحن",
            _ABOUT["introduction"]: (
                "نحن شبكة من المجتمعات الرحيمة: أناس ومجموعات وخدمات محلية تؤمن بأن رعاية "
                "بعضنا بعضًا في نهاية الحياة مسؤولية الجميع."
            ),
            "What we believe": "ما نؤمن به",
            _BELIEVE_1: (
                "الاحتضار والموت والفقد أمور تصيبنا جميعًا. ويمضي معظم ذلك الوقت في البيت "
                "وبين الجيران، لا مع المختصين."
            ),
            _BELIEVE_2: (
                "ينبغي أن يُنظر إلى كل إنسان بوصفه فردًا، وأن يتمكن الجميع من الحصول على "
                "المساعدة، أيًّا كانوا وأينما كانوا."
            ),
            "Who we work with": "مع من نعمل",
            _WORK_WITH: (
                "دور الرعاية التلطيفية والعيادات العامة والمجموعات الدينية والمدارس والمكتبات "
                "والجمعيات الخيرية المحلية، والمتطوعون الذين يمنحون وقتهم."
            ),
        },
    }
)

# The home page's search, actions and features link to pages the apps create, so they are
# set once those pages exist. A link names a child of the home page by its slug, or a form.
HOME_LINKS = {
    "search": "find-help",
    "actions": [
        {
            "site_link": "ask_for_help",
            "title": "Ask for practical help",
            "text": (
                "A lift to an appointment, some shopping, or someone to sit with the person "
                "you care for."
            ),
            "illustration": "practical-help",
        },
        {
            "site_link": "volunteer_sign_up",
            "title": "Volunteer near you",
            "text": "Give an hour or two to someone nearby who is caring or grieving.",
            "illustration": "volunteer",
        },
        {
            "page": "events",
            "title": "Find a Death Café or event",
            "text": "Talks, walks and cups of tea with people who understand, near you or online.",
            "illustration": "events",
        },
    ],
    # Title and text come from the pages themselves, in the reader's language where translated.
    "features": [
        {"page": "stories", "illustration": "stories"},
        {"page": "guides", "illustration": "guides"},
    ],
}

HOME_LINK_TRANSLATIONS = {
    "cy": {
        "Ask for practical help": "Gofyn am help ymarferol",
        HOME_LINKS["actions"][0]["text"]: (
            "Lifft i apwyntiad, ychydig o siopa, neu rywun i eistedd gyda'r person rydych yn "
            "gofalu amdano."
        ),
        "Volunteer near you": "Gwirfoddoli yn agos atoch",
        HOME_LINKS["actions"][1]["text"]: (
            "Rhowch awr neu ddwy i rywun gerllaw sy'n gofalu neu'n galaru."
        ),
        "Find a Death Café or event": "Dod o hyd i Gaffi Marwolaeth neu ddigwyddiad",
        HOME_LINKS["actions"][2]["text"]: (
            "Sgyrsiau, teithiau cerdded a phaneidiau gyda phobl sy'n deall, yn agos atoch neu "
            "ar-lein."
        ),
    },
    "pl": {
        "Ask for practical help": "Poproś o praktyczną pomoc",
        HOME_LINKS["actions"][0]["text"]: (
            "Podwiezienie na wizytę, zakupy lub ktoś, kto posiedzi z osobą, którą się opiekujesz."
        ),
        "Volunteer near you": "Zostań wolontariuszem w okolicy",
        HOME_LINKS["actions"][1]["text"]: (
            "Poświęć godzinę lub dwie komuś w pobliżu, kto opiekuje się bliskim "
            "lub przeżywa żałobę."
        ),
        "Find a Death Café or event": "Znajdź Death Café lub wydarzenie",
        HOME_LINKS["actions"][2]["text"]: (
            "Rozmowy, spacery i herbata z ludźmi, którzy rozumieją, w pobliżu lub online."
        ),
    },
    "bn": {
        "Ask for practical help": "ব্যবহারিক সাহায্য চান",
        HOME_LINKS["actions"][0]["text"]: (
            "অ্যাপয়েন্টমেন্টে যাওয়ার গাড়ি, কিছু কেনাকাটা, অথবা আপনার প্রিয়জনের পাশে বসার কেউ।"
        ),
        "Volunteer near you": "আপনার এলাকায় স্বেচ্ছাসেবক হোন",
        HOME_LINKS["actions"][1]["text"]: (
            "কাছের এমন কাউকে এক-দুই ঘণ্টা সময় দিন, যিনি পরিচর্যা করছেন বা শোকে আছেন।"
        ),
        "Find a Death Café or event": "ডেথ ক্যাফে বা অনুষ্ঠান খুঁজুন",
        HOME_LINKS["actions"][2]["text"]: ("যাঁরা বোঝেন তাঁদের সঙ্গে আলাপ, হাঁটা আর চা, কাছাকাছি বা অনলাইনে।"),
    },
    "ur": {
        "Ask for practical help": "عملی مدد مانگیں",
        HOME_LINKS["actions"][0]["text"]: (
            "ملاقات تک جانے کے لیے سواری، کچھ خریداری، یا کوئی جو آپ کے پیارے کے پاس بیٹھ سکے۔"
        ),
        "Volunteer near you": "اپنے علاقے میں رضاکار بنیں",
        HOME_LINKS["actions"][1]["text"]: (
            "قریب رہنے والے کسی ایسے شخص کو ایک دو گھنٹے دیں جو دیکھ بھال کر رہا ہو یا غم زدہ ہو۔"
        ),
        "Find a Death Café or event": "ڈیتھ کیفے یا کوئی تقریب تلاش کریں",
        HOME_LINKS["actions"][2]["text"]: (
            "سمجھنے والے لوگوں کے ساتھ گفتگو، سیر اور چائے، قریب یا آن لائن۔"
        ),
    },
    "ar": {
        "Ask for practical help": "اطلب مساعدة عملية",
        HOME_LINKS["actions"][0]["text"]: (
            "توصيلة إلى موعد، أو بعض التسوق، أو شخص يجلس مع من ترعاه."
        ),
        "Volunteer near you": "تطوّع قرب مكانك",
        HOME_LINKS["actions"][1]["text"]: (
            "امنح ساعة أو ساعتين لشخص قريب منك يرعى أحدًا أو يعيش فقدًا."
        ),
        "Find a Death Café or event": "ابحث عن مقهى للحديث عن الموت أو فعالية",
        HOME_LINKS["actions"][2]["text"]: (
            "أحاديث ونزهات وأكواب شاي مع أناس يفهمونك، قريبًا منك أو عبر الإنترنت."
        ),
    },
}
for _code, _strings in HOME_LINK_TRANSLATIONS.items():
    TRANSLATIONS["home"].setdefault(_code, {}).update(_strings)
