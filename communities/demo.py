"""Demo community groups and events across London and other cities (no network needed)."""

import datetime as dt

from django.utils import timezone
from django.utils.text import slugify

from communities.models import (
    Booking,
    CommunityGroupPage,
    EventException,
    EventIndexPage,
    EventPage,
    GroupIndexPage,
    OccurrenceSeats,
)
from communities.permissions import ensure_group_editors, ensure_moderation
from communities.recurrence import next_occurrences
from core.demo.registry import register
from core.localization import is_translated

GROUPS_TITLE = "Community groups"
GROUPS_INTRODUCTION = (
    "Death Cafés, compassionate neighbours, walking groups, faith communities and schools: "
    "the local groups that make it easier to talk about dying, death and grief."
)
EVENTS_TITLE = "What's on"
EVENTS_INTRODUCTION = (
    "Gatherings near you and online: Death Cafés, bereavement groups, walks and talks. "
    "Most are free, and everyone is welcome."
)
PAGE_TRANSLATIONS = {
    "cy": {
        GROUPS_TITLE: "Grwpiau cymunedol",
        GROUPS_INTRODUCTION: "Caffis Marwolaeth, cymdogion tosturiol, grwpiau cerdded, "
        "cymunedau ffydd ac ysgolion: y grwpiau lleol sy'n ei gwneud yn haws siarad am farw, "
        "marwolaeth a galar.",
        EVENTS_TITLE: "Beth sydd ymlaen",
        EVENTS_INTRODUCTION: "Cyfarfodydd yn agos atoch ac ar-lein: Caffis Marwolaeth, grwpiau "
        "profedigaeth, teithiau cerdded a sgyrsiau. Mae'r rhan fwyaf am ddim, ac mae croeso "
        "i bawb.",
    },
    "pl": {
        GROUPS_TITLE: "Grupy lokalne",
        GROUPS_INTRODUCTION: "Death Café, życzliwi sąsiedzi, grupy spacerowe, wspólnoty "
        "wyznaniowe i szkoły: lokalne grupy, dzięki którym łatwiej rozmawiać o umieraniu, "
        "śmierci i żałobie.",
        EVENTS_TITLE: "Wydarzenia",
        EVENTS_INTRODUCTION: "Spotkania w pobliżu i online: Death Café, grupy wsparcia w "
        "żałobie, spacery i rozmowy. Większość jest bezpłatna i każdy jest mile widziany.",
    },
    "bn": {
        GROUPS_TITLE: "কমিউনিটি গ্রুপ",
        GROUPS_INTRODUCTION: "ডেথ ক্যাফে, সহমর্মী প্রতিবেশী, হাঁটার দল, ধর্মীয় সম্প্রদায় ও "
        "স্কুল: যে স্থানীয় দলগুলো মৃত্যু, মরণ ও শোক নিয়ে কথা বলা সহজ করে তোলে।",
        EVENTS_TITLE: "কী হচ্ছে",
        EVENTS_INTRODUCTION: "আপনার কাছাকাছি ও অনলাইনে সমাবেশ: ডেথ ক্যাফে, শোক সহায়তা দল, "
        "হাঁটা ও আলোচনা। বেশিরভাগই বিনামূল্যে, এবং সবাইকে স্বাগত।",
    },
    "ur": {
        GROUPS_TITLE: "کمیونٹی گروپس",
        GROUPS_INTRODUCTION: "ڈیتھ کیفے، ہمدرد پڑوسی، پیدل چلنے کے گروپ، مذہبی برادریاں اور "
        "اسکول: وہ مقامی گروپ جو موت، مرنے اور غم کے بارے میں بات کرنا آسان بناتے ہیں۔",
        EVENTS_TITLE: "کیا ہو رہا ہے",
        EVENTS_INTRODUCTION: "آپ کے قریب اور آن لائن اجتماعات: ڈیتھ کیفے، سوگ میں مدد کے گروپ، "
        "سیر اور گفتگو۔ زیادہ تر مفت ہیں، اور سب کو خوش آمدید۔",
    },
    "ar": {
        GROUPS_TITLE: "المجموعات المجتمعية",
        GROUPS_INTRODUCTION: "مقاهي الموت، والجيران الرحماء، ومجموعات المشي، والمجتمعات الدينية "
        "والمدارس: المجموعات المحلية التي تجعل الحديث عن الاحتضار والموت والحزن أسهل.",
        EVENTS_TITLE: "ما الذي يجري",
        EVENTS_INTRODUCTION: "لقاءات قريبة منك وعبر الإنترنت: مقاهي الموت، ومجموعات دعم "
        "الفقد، والمشي والأحاديث. معظمها مجاني، والجميع مرحب بهم.",
    },
}

# title, area, trusted, languages, contact email, summary
GROUPS = [
    (
        "Barbican Death Café",
        "City of London",
        True,
        "English",
        "Tea, cake and honest conversation about death, in the library by the Barbican.",
    ),
    (
        "Hackney Compassionate Neighbours",
        "Hackney, east London",
        False,
        "English, Turkish",
        "Neighbours trained to visit people who are dying or bereaved, and to be a friend.",
    ),
    (
        "Tower Hamlets Bereavement Walkers",
        "Bow and Mile End, east London",
        False,
        "English, Bengali",
        "A gentle walk in the park and a cup of tea, for anyone grieving.",
    ),
    (
        "Lewisham Faith Communities Together",
        "Lewisham, south-east London",
        True,
        "English, Urdu, Arabic",
        "Mosques, churches and temples sharing remembrance and support.",
    ),
    (
        "Manchester Grief Circle",
        "Manchester city centre",
        True,
        "English, Polish",
        "A peer support group for people bereaved in the last two years.",
    ),
    (
        "Birmingham Death Café",
        "Birmingham city centre",
        False,
        "English, Punjabi",
        "A relaxed monthly Death Café, open to everyone.",
    ),
    (
        "Leeds Schools Talking About Loss",
        "Leeds",
        False,
        "English",
        "Teachers and parents learning to support children through a death.",
    ),
    (
        "Bristol Compassionate Neighbours",
        "Bristol",
        False,
        "English, Polish, Somali",
        "Neighbours in central and east Bristol who keep company with people who are dying, "
        "caring or grieving.",
    ),
    (
        "Cardiff Death Café",
        "Cardiff",
        True,
        "English, Welsh",
        "Death Cafés in English and in Welsh, and walks in Bute Park.",
    ),
]

ACCESSIBILITY = "Step-free access and an accessible toilet. Tell us what would help."
# Groups translated into the languages their members speak (through wagtail-localize, as
# editors translate). An event's places are counted on its original page, whichever
# language's page a booking is made on (see communities.booking).
GROUP_TRANSLATIONS = {
    "Lewisham Faith Communities Together": {
        "ur": {
            "Lewisham Faith Communities Together": "لیوشم کی مذہبی برادریاں ایک ساتھ",
            "Mosques, churches and temples sharing remembrance and support.": "مساجد، گرجا "
            "گھر اور مندر مل کر یاد اور سہارا بانٹتے ہیں۔",
            "Lewisham, south-east London": "لیوشم، جنوب مشرقی لندن",
            "English, Urdu, Arabic": "انگریزی، اردو، عربی",
            ACCESSIBILITY: "سیڑھیوں کے بغیر رسائی اور معذور افراد کے لیے موزوں بیت الخلا۔ ہمیں "
            "بتائیں کہ کس چیز سے آپ کو مدد ملے گی۔",
        },
        "ar": {
            "Lewisham Faith Communities Together": "مجتمعات لويشام الدينية معًا",
            "Mosques, churches and temples sharing remembrance and support.": "مساجد وكنائس "
            "ومعابد تتشارك الذكرى والدعم.",
            "Lewisham, south-east London": "لويشام، جنوب شرق لندن",
            "English, Urdu, Arabic": "الإنجليزية، الأردية، العربية",
            ACCESSIBILITY: "مدخل بلا درجات ودورة مياه مهيأة لذوي الإعاقة. أخبرونا بما يساعدكم.",
        },
    },
    "Tower Hamlets Bereavement Walkers": {
        "bn": {
            "Tower Hamlets Bereavement Walkers": "টাওয়ার হ্যামলেটস শোক-সহায়তা হাঁটার দল",
            "A gentle walk in the park and a cup of tea, for anyone grieving.": "শোকগ্রস্ত যে "
            "কারও জন্য পার্কে ধীরে হাঁটা আর এক কাপ চা।",
            "Bow and Mile End, east London": "বো ও মাইল এন্ড, পূর্ব লন্ডন",
            "English, Bengali": "ইংরেজি, বাংলা",
            ACCESSIBILITY: "সিঁড়ি ছাড়াই প্রবেশের ব্যবস্থা ও প্রতিবন্ধীবান্ধব টয়লেট। কীসে আপনার "
            "সুবিধা হবে আমাদের জানান।",
        },
    },
    "Manchester Grief Circle": {
        "pl": {
            "Manchester Grief Circle": "Krąg Żałoby w Manchesterze",
            "A peer support group for people bereaved in the last two years.": "Grupa "
            "wzajemnego wsparcia dla osób, które w ciągu ostatnich dwóch lat straciły kogoś "
            "bliskiego.",
            "Manchester city centre": "Centrum Manchesteru",
            "English, Polish": "angielski, polski",
            ACCESSIBILITY: "Wejście bez schodów i toaleta dla osób z niepełnosprawnościami. "
            "Powiedz nam, co by Ci pomogło.",
        },
    },
    "Cardiff Death Café": {
        "cy": {
            "Cardiff Death Café": "Caffi Marwolaeth Caerdydd",
            "Death Cafés in English and in Welsh, and walks in Bute Park.": "Caffis Marwolaeth "
            "yn Saesneg ac yn Gymraeg, a theithiau cerdded ym Mharc Bute.",
            "Cardiff": "Caerdydd",
            "English, Welsh": "Saesneg, Cymraeg",
            ACCESSIBILITY: "Mynediad heb risiau a thoiled hygyrch. Dywedwch wrthym beth fyddai'n "
            "helpu.",
        },
    },
}

# group index, title, type, postcode, venue, weekday offset, start, end, repeat, monthly week,
# count, capacity, free/cost, online, language
EVENTS = [
    (
        0,
        "Barbican Death Café",
        "death_cafe",
        "EC1A 1BB",
        "Barbican Library",
        5,
        "18:30",
        "20:30",
        "monthly",
        None,
        12,
        12,
        "",
        False,
        "en",
    ),
    (
        0,
        "Death Café at lunchtime",
        "death_cafe",
        "EC1A 1BB",
        "St Bartholomew's Church Hall",
        9,
        "12:30",
        "13:30",
        "",
        None,
        None,
        3,
        "",
        False,
        "en",
    ),
    (
        0,
        "Online Death Café",
        "death_cafe",
        "",
        "",
        12,
        "19:00",
        "20:30",
        "monthly",
        -1,
        None,
        20,
        "",
        True,
        "en",
    ),
    (
        1,
        "Compassionate neighbours welcome evening",
        "talk",
        "E8",
        "Hackney Central Library",
        4,
        "18:00",
        "19:30",
        "",
        None,
        None,
        25,
        "",
        False,
        "en",
    ),
    (
        1,
        "Neighbours' coffee morning",
        "social",
        "E8",
        "Hackney Central Library",
        2,
        "10:30",
        "12:00",
        "weekly",
        None,
        10,
        None,
        "",
        False,
        "en",
    ),
    (
        1,
        "Training: being with someone who is dying",
        "talk",
        "E8",
        "St John at Hackney",
        15,
        "10:00",
        "16:00",
        "",
        None,
        None,
        2,
        "",
        False,
        "en",
    ),
    (
        2,
        "Bereavement walk in Victoria Park",
        "walk",
        "E3",
        "Victoria Park, Bonner Gate",
        6,
        "11:00",
        "12:30",
        "weekly",
        None,
        None,
        15,
        "",
        False,
        "en",
    ),
    (
        2,
        "Bengali bereavement walk",
        "walk",
        "E3",
        "Mile End Park, Ecology Pavilion",
        3,
        "10:00",
        "11:30",
        "weekly",
        None,
        8,
        12,
        "",
        False,
        "bn",
    ),
    (
        3,
        "Remembrance gathering",
        "faith",
        "SE13",
        "Lewisham Islamic Centre",
        10,
        "14:00",
        "16:00",
        "monthly",
        None,
        6,
        None,
        "",
        False,
        "ur",
    ),
    (
        3,
        "Interfaith conversation on loss",
        "talk",
        "SE13",
        "St Mary's Church, Lewisham",
        8,
        "19:00",
        "21:00",
        "",
        None,
        None,
        30,
        "",
        False,
        "en",
    ),
    (
        3,
        "Arabic grief support online",
        "bereavement_group",
        "",
        "",
        7,
        "20:00",
        "21:00",
        "weekly",
        None,
        12,
        10,
        "",
        True,
        "ar",
    ),
    (
        4,
        "Manchester grief circle",
        "bereavement_group",
        "M1 1AE",
        "Central Library, St Peter's Square",
        1,
        "18:00",
        "19:30",
        "weekly",
        None,
        None,
        12,
        "",
        False,
        "en",
    ),
    (
        4,
        "Polish-language bereavement group",
        "bereavement_group",
        "M1 1AE",
        "Polish Centre",
        11,
        "18:30",
        "20:00",
        "monthly",
        2,
        None,
        10,
        "",
        False,
        "pl",
    ),
    (
        4,
        "Online grief circle",
        "bereavement_group",
        "",
        "",
        3,
        "19:30",
        "20:30",
        "weekly",
        None,
        None,
        2,
        "",
        True,
        "en",
    ),
    (
        5,
        "Birmingham Death Café",
        "death_cafe",
        "B1 1BB",
        "The Library of Birmingham",
        13,
        "18:00",
        "20:00",
        "monthly",
        None,
        None,
        20,
        "£3, or pay what you can",
        False,
        "en",
    ),
    (
        5,
        "Punjabi Death Café",
        "death_cafe",
        "B1 1BB",
        "Soho Road Community Hub",
        20,
        "14:00",
        "16:00",
        "",
        None,
        None,
        15,
        "",
        False,
        "pa",
    ),
    (
        6,
        "Supporting a grieving child: for parents",
        "talk",
        "LS1 4AP",
        "Leeds Central Library",
        9,
        "18:00",
        "19:30",
        "",
        None,
        None,
        40,
        "",
        False,
        "en",
    ),
    (
        6,
        "Teachers' workshop on loss",
        "talk",
        "LS1 4AP",
        "Leeds Civic Hall",
        23,
        "16:00",
        "18:00",
        "",
        None,
        None,
        2,
        "£10",
        False,
        "en",
    ),
    (
        1,
        "Hackney remembrance walk",
        "walk",
        "E8",
        "London Fields, the lido gate",
        17,
        "11:00",
        "12:30",
        "",
        None,
        None,
        20,
        "",
        False,
        "en",
    ),
    (
        1,
        "Sunday coffee for carers",
        "social",
        "E8",
        "Hackney Central Library",
        5,
        "10:30",
        "12:00",
        "monthly",
        None,
        6,
        12,
        "",
        False,
        "en",
    ),
    (
        0,
        "Planning ahead: wills and wishes",
        "talk",
        "EC1A 1BB",
        "Barbican Library",
        16,
        "18:00",
        "19:30",
        "",
        None,
        None,
        35,
        "",
        False,
        "en",
    ),
    (
        2,
        "Grief and Ramadan: an evening together",
        "faith",
        "E1",
        "East London Mosque hall",
        14,
        "19:30",
        "21:00",
        "",
        None,
        None,
        40,
        "",
        False,
        "bn",
    ),
    (
        3,
        "Children's remembrance afternoon",
        "faith",
        "SE13",
        "Lewisham Library",
        21,
        "14:00",
        "16:00",
        "",
        None,
        None,
        25,
        "",
        False,
        "en",
    ),
    (
        4,
        "Walk for grief in Heaton Park",
        "walk",
        "M1 1AE",
        "Heaton Park, Grand Lodge",
        6,
        "10:30",
        "12:00",
        "monthly",
        1,
        8,
        None,
        "",
        False,
        "en",
    ),
    (
        5,
        "Online Death Café for carers",
        "death_cafe",
        "",
        "",
        8,
        "13:00",
        "14:00",
        "monthly",
        None,
        6,
        16,
        "",
        True,
        "en",
    ),
    (
        6,
        "Supporting bereaved pupils: staff drop-in",
        "bereavement_group",
        "LS1 4AP",
        "Leeds Central Library",
        2,
        "16:00",
        "17:00",
        "weekly",
        None,
        6,
        8,
        "",
        False,
        "en",
    ),
    (
        7,
        "Bristol Death Café",
        "death_cafe",
        "BS1",
        "Bristol Central Library",
        6,
        "18:30",
        "20:30",
        "monthly",
        None,
        12,
        15,
        "",
        False,
        "en",
    ),
    (
        7,
        "Compassionate neighbours training day",
        "talk",
        "BS1",
        "M Shed",
        17,
        "10:00",
        "16:00",
        "",
        None,
        None,
        4,
        "£5, or pay what you can",
        False,
        "en",
    ),
    (
        7,
        "Harbourside bereavement walk",
        "walk",
        "BS1",
        "Outside the M Shed",
        3,
        "11:00",
        "12:30",
        "weekly",
        None,
        10,
        None,
        "",
        False,
        "en",
    ),
    (
        7,
        "Polish coffee morning for the bereaved",
        "social",
        "BS5",
        "Easton Community Centre",
        8,
        "10:30",
        "12:00",
        "monthly",
        None,
        6,
        12,
        "",
        False,
        "pl",
    ),
    (
        7,
        "Somali women's bereavement circle",
        "bereavement_group",
        "BS5",
        "Easton Community Centre",
        11,
        "14:00",
        "15:30",
        "weekly",
        None,
        8,
        10,
        "",
        False,
        "so",
    ),
    (
        8,
        "Caffi Marwolaeth Caerdydd",
        "death_cafe",
        "CF10",
        "Cardiff Central Library",
        7,
        "18:00",
        "20:00",
        "monthly",
        None,
        12,
        14,
        "",
        False,
        "cy",
    ),
    (
        8,
        "Cardiff Death Café",
        "death_cafe",
        "CF10",
        "Cardiff Central Library",
        21,
        "18:00",
        "20:00",
        "monthly",
        None,
        12,
        14,
        "",
        False,
        "en",
    ),
    (
        8,
        "Bute Park grief walk",
        "walk",
        "CF10",
        "Bute Park visitor centre",
        2,
        "10:00",
        "11:30",
        "weekly",
        None,
        12,
        None,
        "",
        False,
        "en",
    ),
    (
        8,
        "Talk: what happens after a death in Wales",
        "talk",
        "CF24",
        "Roath Library",
        15,
        "19:00",
        "20:30",
        "",
        None,
        None,
        30,
        "",
        False,
        "en",
    ),
    (
        8,
        "Memory café for carers",
        "social",
        "CF14",
        "Whitchurch Library",
        10,
        "10:30",
        "12:00",
        "monthly",
        2,
        6,
        16,
        "",
        False,
        "en",
    ),
]
FULL = {
    "Death Café at lunchtime",
    "Training: being with someone who is dying",
    "Online grief circle",
    "Teachers' workshop on loss",
    "Compassionate neighbours training day",
}


# A few events in each language, by English title: the translated title, and the summary
# (the event's title, then its group's summary, as the events are made below).
_CARDIFF_CY = "Caffis Marwolaeth yn Saesneg ac yn Gymraeg, a theithiau cerdded ym Mharc Bute."
_MANCHESTER_PL = (
    "Grupa wsparcia dla osób, które straciły kogoś bliskiego w ciągu ostatnich dwóch lat."
)
_BRISTOL_PL = (
    "Sąsiedzi z centrum i wschodniego Bristolu, którzy towarzyszą osobom umierającym, "
    "opiekującym się bliskimi lub przeżywającym żałobę."
)
_WALKERS_BN = "শোকার্ত যে কারও জন্য পার্কে ধীর হাঁটা আর এক কাপ চা।"
_LEWISHAM_UR = "مساجد، گرجا گھر اور مندر مل کر یاد اور مدد بانٹتے ہیں۔"
_LEWISHAM_AR = "مساجد وكنائس ومعابد تتشارك الذكرى والدعم."
EVENT_TRANSLATIONS = {
    "Bute Park grief walk": {"cy": ("Taith gerdded galar ym Mharc Bute", _CARDIFF_CY)},
    "Talk: what happens after a death in Wales": {
        "cy": ("Sgwrs: beth sy'n digwydd ar ôl marwolaeth yng Nghymru", _CARDIFF_CY)
    },
    "Polish-language bereavement group": {
        "pl": ("Grupa wsparcia w żałobie po polsku", _MANCHESTER_PL)
    },
    "Polish coffee morning for the bereaved": {
        "pl": ("Poranna kawa dla osób w żałobie", _BRISTOL_PL)
    },
    "Bengali bereavement walk": {"bn": ("বাংলায় শোকার্তদের হাঁটা", _WALKERS_BN)},
    "Bereavement walk in Victoria Park": {"bn": ("ভিক্টোরিয়া পার্কে শোকার্তদের হাঁটা", _WALKERS_BN)},
    "Interfaith conversation on loss": {
        "ur": ("نقصان پر بین المذاہب گفتگو", _LEWISHAM_UR),
        "ar": ("حوار بين الأديان حول الفقد", _LEWISHAM_AR),
    },
    "Remembrance gathering": {"ur": ("یاد کی محفل", _LEWISHAM_UR)},
    "Arabic grief support online": {"ar": ("دعم الحزن بالعربية عبر الإنترنت", _LEWISHAM_AR)},
    "Children's remembrance afternoon": {"ar": ("لقاء للأطفال لتذكّر من فقدوهم", _LEWISHAM_AR)},
}


def _time(text):
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def ensure_pages(home, translate, locales):
    """The groups index and the events page under the English home page, translated."""
    groups = GroupIndexPage.objects.filter(locale=home.locale).first()
    if groups is None:
        groups = GroupIndexPage(
            title=GROUPS_TITLE, slug="groups", introduction=GROUPS_INTRODUCTION, show_in_menus=True
        )
        home.add_child(instance=groups)
        groups.save_revision().publish()
    events = EventIndexPage.objects.filter(locale=home.locale).first()
    if events is None:
        events = EventIndexPage(
            title=EVENTS_TITLE, slug="events", introduction=EVENTS_INTRODUCTION, show_in_menus=True
        )
        home.add_child(instance=events)
        events.save_revision().publish()
    for page in (groups, events):
        for code, strings in PAGE_TRANSLATIONS.items():
            if not is_translated(page, locales[code]):
                translate(page, locales[code], strings)
    ensure_moderation(groups)
    return groups, events


def _fill(event, count=1):
    """Book every place at the first `count` occurrences, and put one person on the list."""
    for occurrence in next_occurrences(event, timezone.now(), limit=count):
        OccurrenceSeats.objects.update_or_create(
            event=event, starts_at=occurrence.key, defaults={"booked": event.capacity}
        )
        for n in range(event.capacity + 1):
            Booking.objects.get_or_create(
                event=event,
                starts_at=occurrence.key,
                email=f"demo-{event.pk}-{n}@example.com",
                defaults={
                    "name": f"Demo booker {n + 1}",
                    "status": Booking.Status.CONFIRMED
                    if n < event.capacity
                    else Booking.Status.WAITING,
                },
            )


def load(log, home, translate, locales):
    """Create the demo groups and events unless they are there already."""
    index, _events_page = ensure_pages(home, translate, locales)
    if CommunityGroupPage.objects.child_of(index).exists():
        translated = ensure_group_translations(index, translate, locales)
        translated += ensure_event_translations(index, translate, locales)
        log(
            "Communities: demo groups already loaded"
            + (f"; translations: {', '.join(translated)}" if translated else "")
        )
        return 0
    today = timezone.localdate()
    groups = []
    for title, area, trusted, languages, summary in GROUPS:
        group = CommunityGroupPage(
            title=title,
            summary=summary,
            area=area,
            trusted=trusted,
            languages=languages,
            contact_email=f"hello@{slugify(title)}.example",
            accessibility=ACCESSIBILITY,
        )
        index.add_child(instance=group)
        group.save_revision().publish()
        ensure_group_editors(group)
        groups.append(group)
    created = 0
    for row in EVENTS:
        (
            group_index,
            title,
            kind,
            postcode,
            venue,
            offset,
            start,
            end,
            repeat,
            week,
            count,
            capacity,
            cost,
            online,
            language,
        ) = row
        start_date = today + dt.timedelta(days=offset)
        event = EventPage(
            title=title,
            summary=f"{title}: {groups[group_index].summary}",
            event_type=kind,
            language=language,
            start_date=start_date,
            start_time=_time(start),
            end_time=_time(end),
            repeat=repeat,
            monthly_week=week,
            repeat_count=count,
            postcode=postcode,
            venue_name=venue,
            online=online,
            online_url=f"https://meet.example/{slugify(title)}" if online else "",
            capacity=capacity,
            free=not cost,
            cost=cost,
            accessibility="Step-free access; hearing loop." if not online else "Live captions.",
        )
        if repeat == "weekly":
            # A bank-holiday week off, as real groups have.
            event.exceptions.add(EventException(date=start_date + dt.timedelta(weeks=2)))
        groups[group_index].add_child(instance=event)
        event.save_revision().publish()
        if title in FULL:
            _fill(event)
        created += 1
    translated = ensure_group_translations(index, translate, locales)
    translated += ensure_event_translations(index, translate, locales)
    log(
        f"Communities: {len(groups)} groups, {created} events; "
        f"translations: {', '.join(translated) or 'none'}"
    )
    return created


def ensure_event_translations(index, translate, locales):
    """Translate the demo events listed in EVENT_TRANSLATIONS where not done yet."""
    done = []
    events = {event.title: event for event in EventPage.objects.descendant_of(index)}
    for title, by_language in EVENT_TRANSLATIONS.items():
        event = events.get(title)
        if event is None:
            continue
        for code, (translated_title, group_summary) in by_language.items():
            if code not in locales or is_translated(event, locales[code]):
                continue
            # Translated under its group's page in that language (a translation, or the
            # alias that keeps the language in step): never a second copy of the group.
            if event.get_parent().has_translation(locales[code]):
                strings = {
                    title: translated_title,
                    event.summary: f"{translated_title}: {group_summary}",
                }
                translate(event, locales[code], strings)
                done.append(f"{event.slug} ({code})")
    return done


def ensure_group_translations(index, translate, locales):
    """Translate the demo groups listed in GROUP_TRANSLATIONS where not done yet."""
    done = []
    groups = {group.title: group for group in CommunityGroupPage.objects.child_of(index)}
    for title, by_language in GROUP_TRANSLATIONS.items():
        group = groups.get(title)
        if group is None:
            continue
        for code, strings in by_language.items():
            if code in locales and not is_translated(group, locales[code]):
                translate(group, locales[code], strings)
                done.append(f"{group.slug} ({code})")
    return done


@register(order=40)
def demo_communities(context):
    """Groups, events and bookings, with the pages that list them."""
    load(context.log, context.home, context.translate, context.locales)
