"""The demo's stories and guides in English, and their translations.

The stories are fictional, written for the demonstration site, and the index says so. The
guides give general information only. Translations are keyed by the English text of each
segment, as wagtail-localize extracts it (see core.demo.content).
"""

STORY_INDEX = {
    "slug": "stories",
    "title": "Stories",
    "introduction": (
        "People who have cared, grieved, volunteered or lived with illness tell what it was "
        "like, and what helped. The stories on this demonstration site are examples."
    ),
    "share_introduction": (
        "Your experience could help someone who is going through the same thing. Tell it in "
        "your own words, as long or as short as you like."
    ),
}

LIBRARY = {
    "slug": "guides",
    "title": "Guides and resources",
    "introduction": (
        "Plain guides to read online, print, or download in other formats and languages."
    ),
}


def _p(text):
    return ("paragraph", f"<p>{text}</p>")


def _quote(text, by=""):
    return ("quote", {"quote": text, "attribution": by})


STORIES = [
    {
        "slug": "the-night-nurse",
        "title": "The night nurse",
        "role": "bereaved",
        "name": "Amira",
        "topics": ["hospice", "end of life"],
        "featured": True,
        "content_note": "",
        "summary": "My father died at the hospice. A nurse sat with us through his last night.",
        "body": [
            _p("We did not know how long it would be. The nurse brought us blankets and tea."),
            _p("She told us what the changes in his breathing meant, so we were not afraid."),
            _quote("You can talk to him. He can still hear you.", "The night nurse"),
            _p("I think of her every time I pass the hospice. I hope she knows what she did."),
        ],
    },
    {
        "slug": "walking-the-dog",
        "title": "A neighbour who walked our dog",
        "role": "carer",
        "name": "",
        "topics": ["caring at home", "neighbours"],
        "featured": True,
        "content_note": "",
        "summary": "While I cared for my husband at home, a neighbour I had never met offered help.",  # noqa: E501
        "body": [
            _p("My husband wanted to die at home, and I wanted that for him too."),
            _p("I could not leave him for long. The dog was getting no walks at all."),
            _p("A neighbour put a note through the door. She walked him every morning."),
            _quote("It was such a small thing to her, and it meant everything to us."),
        ],
    },
    {
        "slug": "telling-the-children",
        "title": "Telling the children",
        "role": "bereaved",
        "name": "Tomasz",
        "topics": ["children", "grief"],
        "featured": False,
        "content_note": "",
        "summary": "How we found the words to tell our two children that their grandmother had died.",  # noqa: E501
        "body": [
            _p("We wanted to protect them, so at first we said she had gone to sleep."),
            _p("A bereavement nurse told us that plain words are kinder. We said she had died."),
            _p("They asked many questions, some of them again and again. We answered each time."),
            _quote("Children can cope with the truth. What frightens them is being left out."),
        ],
    },
    {
        "slug": "living-with-motor-neurone-disease",
        "title": "Living with motor neurone disease",
        "role": "living_with_illness",
        "name": "Gareth",
        "topics": ["planning ahead", "end of life"],
        "featured": False,
        "content_note": "",
        "summary": "After my diagnosis I wrote down what matters to me, while I still could.",
        "body": [
            _p("When I was diagnosed, I wanted to know what would happen and when."),
            _p("My nurse helped me write an advance care plan. My family know what I want."),
            _p("Planning did not make me feel closer to dying. It made me feel in charge."),
        ],
    },
    {
        "slug": "volunteering-at-the-death-cafe",
        "title": "Volunteering at the Death Café",
        "role": "volunteer",
        "name": "Priya",
        "topics": ["talking about death", "volunteering"],
        "featured": False,
        "content_note": "",
        "summary": "Tea, cake and honest talk about death: why I help run our monthly Death Café.",
        "body": [
            _p("Once a month, strangers sit together and talk about dying and death."),
            _p("People laugh more than you would expect. Nobody is told what to think."),
            _quote("I came because my mum died. I keep coming because I feel less alone."),
        ],
    },
    {
        "slug": "after-a-sudden-death",
        "title": "After a sudden death",
        "role": "bereaved",
        "name": "",
        "topics": ["grief", "sudden death"],
        "featured": False,
        "content_note": "This story mentions suicide.",
        "summary": "My brother took his own life. It took a long time before I could talk about it.",  # noqa: E501
        "body": [
            _p("For months I could not say how he died. People did not know what to ask."),
            _p("A support group for people bereaved by suicide helped me to say it out loud."),
            _p(
                "If this story brings up difficult feelings, the helplines at the top of the page "
                "are there day and night."
            ),
        ],
    },
    {
        "slug": "a-district-nurse",
        "title": "What a district nurse sees",
        "role": "professional",
        "name": "Helen",
        "topics": ["caring at home", "end of life"],
        "featured": False,
        "content_note": "",
        "summary": "Twenty years of visiting people at home near the end of their lives.",
        "body": [
            _p("Most people I visit want to be at home. Their carers are often exhausted."),
            _p("The most useful thing a neighbour can do is ask a specific question."),
            _quote("Not: let me know if I can help. But: can I pick up your shopping on Tuesday?"),
        ],
    },
    {
        "slug": "my-mothers-funeral",
        "title": "Planning my mother's funeral",
        "role": "carer",
        "name": "Nasreen",
        "topics": ["funerals", "after a death"],
        "featured": False,
        "content_note": "",
        "summary": "My mother had told us what she wanted. It made the days after her death easier.",  # noqa: E501
        "body": [
            _p("My mother wrote down the prayers she wanted and who should be told."),
            _p("When she died, we did not have to guess. We could simply be together."),
            _p("Talk to the people you love about what you want. It is a gift to them."),
        ],
    },
    {
        "slug": "caring-for-my-partner",
        "title": "Caring for my partner at night",
        "role": "carer",
        "name": "",
        "topics": ["caring at home", "respite"],
        "featured": False,
        "content_note": "",
        "summary": "A volunteer sat with my partner one evening a week, so that I could sleep.",
        "body": [
            _p("I had not slept a whole night for months. I was making mistakes."),
            _p("A trained volunteer came every Thursday. I slept, and woke up able to cope."),
        ],
    },
]

# Downloads are generated as PDFs in English; other languages are offered as translations.
RESOURCES = [
    {
        "slug": "what-to-do-when-someone-dies",
        "title": "What to do when someone dies",
        "audience": "anyone",
        "topics": ["after a death"],
        "summary": "The first steps after a death, at home, in hospital or in a hospice.",
        "body": [
            ("heading", {"text": "In the first hours", "level": "h2"}),
            _p("If the death was expected, call the GP or the nurse who has been caring for them."),
            _p("If the death was not expected, call 999."),
            ("heading", {"text": "In the first days", "level": "h2"}),
            _p("A doctor will record the cause of death. You then register the death."),
            _p("You can choose a funeral director when you are ready. There is no rush."),
        ],
        "formats": [("pdf", "en"), ("easy_read", "en"), ("large_print", "en")],
    },
    {
        "slug": "registering-a-death",
        "title": "Registering a death",
        "audience": "anyone",
        "topics": ["after a death"],
        "summary": "Who can register a death, where, and what to take with you.",
        "body": [
            _p("In England and Wales a death is usually registered within five days."),
            _p("Take the medical certificate of cause of death, if you have been given it."),
        ],
        "formats": [("pdf", "en")],
    },
    {
        "slug": "talking-to-children-about-death",
        "title": "Talking to children about death",
        "audience": "children",
        "topics": ["children", "grief"],
        "summary": "Plain words, honest answers, and what to expect from grieving children.",
        "body": [
            _p("Use the words died and dead. Phrases like gone to sleep can frighten children."),
            _p("Children grieve in bursts. They may be sad one minute and playing the next."),
            _p("Tell their school, so that teachers can look out for them."),
        ],
        "formats": [("pdf", "en"), ("easy_read", "en")],
    },
    {
        "slug": "planning-ahead",
        "title": "Planning ahead",
        "audience": "anyone",
        "topics": ["planning ahead"],
        "summary": "Advance care plans, wills and lasting power of attorney, explained simply.",
        "body": [
            _p("An advance care plan records what matters to you and the care you want."),
            _p("A lasting power of attorney lets someone you trust decide for you if you cannot."),
        ],
        "formats": [("pdf", "en"), ("large_print", "en")],
    },
    {
        "slug": "caring-at-home",
        "title": "Caring for someone at home",
        "audience": "carers",
        "topics": ["caring at home"],
        "summary": "Help you can ask for when someone you love is dying at home.",
        "body": [
            _p("Ask the GP about the district nursing team and hospice at home services."),
            _p("You can ask for a carer's assessment from your local council."),
            _p("Accept offers of help, and be specific about what would help most."),
        ],
        "formats": [("pdf", "en")],
    },
    {
        "slug": "looking-after-yourself-as-a-carer",
        "title": "Looking after yourself as a carer",
        "audience": "carers",
        "topics": ["caring at home", "respite"],
        "summary": "Rest, breaks and support for the person doing the caring.",
        "body": [
            _p("Caring is hard work. Needing a break does not mean you care less."),
            _p("Volunteers can sit with the person you care for while you rest."),
        ],
        "formats": [],
    },
    {
        "slug": "grief-what-to-expect",
        "title": "Grief: what to expect",
        "audience": "anyone",
        "topics": ["grief"],
        "summary": "Grief has no timetable. What many people feel, and when to ask for help.",
        "body": [
            _p("Grief can bring sadness, anger, guilt, relief and tiredness, often all at once."),
            _p("If you cannot cope with daily life, talk to your GP or a bereavement service."),
        ],
        "formats": [("pdf", "en"), ("easy_read", "en")],
    },
    {
        "slug": "grief-after-suicide",
        "title": "Support after a death by suicide",
        "audience": "anyone",
        "topics": ["grief", "sudden death"],
        "summary": "Where to find support if someone you love has died by suicide.",
        "body": [
            _p("People bereaved by suicide often feel guilt and shock. Specialist support helps."),
            _p("You can call a helpline at any time of day or night."),
        ],
        "formats": [],
    },
    {
        "slug": "arranging-a-funeral",
        "title": "Arranging a funeral",
        "audience": "anyone",
        "topics": ["funerals", "after a death"],
        "summary": "Choices for funerals of every faith and none, and help with the costs.",
        "body": [
            _p("You do not have to use a funeral director, but most people do."),
            _p("If you receive certain benefits, you may get help with funeral costs."),
        ],
        "formats": [("pdf", "en")],
    },
    {
        "slug": "young-people-and-grief",
        "title": "When someone close to you has died",
        "audience": "children",
        "topics": ["children", "grief"],
        "summary": "For young people: your feelings are normal, and there is help.",
        "body": [
            _p("There is no right way to feel. Some days will be better than others."),
            _p("Talking to someone you trust can help, even if it feels hard at first."),
        ],
        "formats": [("easy_read", "en")],
    },
    {
        "slug": "supporting-bereaved-colleagues",
        "title": "Supporting a bereaved colleague",
        "audience": "professionals",
        "topics": ["grief", "talking about death"],
        "summary": "For managers and teams: what to say, and what bereaved staff find helpful.",
        "body": [
            _p("Say you are sorry. Use the name of the person who died."),
            _p("Agree with them what colleagues will be told, and how."),
        ],
        "formats": [("pdf", "en")],
    },
    {
        "slug": "starting-a-conversation-about-dying",
        "title": "Starting a conversation about dying",
        "audience": "anyone",
        "topics": ["talking about death", "planning ahead"],
        "summary": "Ways to begin talking with family and friends about what you want.",
        "body": [
            _p("Choose a quiet time. You do not have to cover everything at once."),
            _p("You could start with a question: have you ever thought about what you would want?"),
        ],
        "formats": [("pdf", "en")],
    },
]

# Translations of pages by slug and language code, keyed by the English segments above.
TRANSLATIONS = {
    "stories": {
        "ur": {
            "Stories": "کہانیاں",
            STORY_INDEX["introduction"]: (
                "وہ لوگ جنہوں نے دیکھ بھال کی، سوگ منایا، رضاکارانہ کام کیا یا بیماری کے ساتھ "
                "زندگی گزاری، بتاتے ہیں کہ یہ کیسا تھا اور کس چیز سے مدد ملی۔ اس نمونہ ویب سائٹ "
                "کی کہانیاں مثالیں ہیں۔"
            ),
            STORY_INDEX["share_introduction"]: (
                "آپ کا تجربہ کسی ایسے شخص کی مدد کر سکتا ہے جو اسی مشکل سے گزر رہا ہے۔ اسے اپنے "
                "الفاظ میں بتائیں، جتنا لمبا یا مختصر آپ چاہیں۔"
            ),
        },
        "pl": {
            "Stories": "Historie",
            STORY_INDEX["introduction"]: (
                "Osoby, które opiekowały się bliskimi, przeżyły żałobę, pomagały jako wolontariusze "  # noqa: E501
                "lub żyją z chorobą, opowiadają, jak to było i co im pomogło. Historie w tej "
                "demonstracyjnej witrynie są przykładami."
            ),
            STORY_INDEX["share_introduction"]: (
                "Twoje doświadczenie może pomóc komuś, kto przechodzi przez to samo. Opowiedz je "
                "własnymi słowami, tak długo lub krótko, jak chcesz."
            ),
        },
    },
    "guides": {
        "ur": {
            "Guides and resources": "رہنما کتابچے اور وسائل",
            LIBRARY["introduction"]: (
                "آسان رہنما کتابچے جنہیں آن لائن پڑھا، پرنٹ کیا یا دوسری شکلوں اور زبانوں میں "
                "ڈاؤن لوڈ کیا جا سکتا ہے۔"
            ),
        },
        "pl": {
            "Guides and resources": "Poradniki i materiały",
            LIBRARY["introduction"]: (
                "Proste poradniki do czytania w sieci, wydrukowania lub pobrania w innych "
                "formatach i językach."
            ),
        },
    },
    "the-night-nurse": {
        "ur": {
            "The night nurse": "رات کی نرس",
            "My father died at the hospice. A nurse sat with us through his last night.": (
                "میرے والد کا انتقال ہاسپیس میں ہوا۔ ان کی آخری رات ایک نرس ہمارے ساتھ بیٹھی رہی۔"
            ),
            "We did not know how long it would be. The nurse brought us blankets and tea.": (
                "ہمیں معلوم نہیں تھا کہ کتنا وقت باقی ہے۔ نرس ہمارے لیے کمبل اور چائے لائی۔"
            ),
            "She told us what the changes in his breathing meant, so we were not afraid.": (
                "اس نے ہمیں بتایا کہ ان کی سانس میں تبدیلیوں کا کیا مطلب ہے، اس لیے ہم خوفزدہ نہیں ہوئے۔"  # noqa: E501
            ),
            "You can talk to him. He can still hear you.": (
                "آپ ان سے بات کر سکتے ہیں۔ وہ اب بھی آپ کو سن سکتے ہیں۔"
            ),
            "I think of her every time I pass the hospice. I hope she knows what she did.": (
                "جب بھی میں ہاسپیس کے پاس سے گزرتی ہوں، اسے یاد کرتی ہوں۔ امید ہے وہ جانتی ہے کہ "
                "اس نے ہمارے لیے کیا کیا۔"
            ),
        },
        "pl": {
            "The night nurse": "Nocna pielęgniarka",
            "My father died at the hospice. A nurse sat with us through his last night.": (
                "Mój tata zmarł w hospicjum. Pielęgniarka czuwała z nami przez jego ostatnią noc."
            ),
            "We did not know how long it would be. The nurse brought us blankets and tea.": (
                "Nie wiedzieliśmy, ile to potrwa. Pielęgniarka przyniosła nam koce i herbatę."
            ),
            "She told us what the changes in his breathing meant, so we were not afraid.": (
                "Wyjaśniła nam, co oznaczają zmiany w jego oddechu, więc się nie baliśmy."
            ),
            "You can talk to him. He can still hear you.": (
                "Możecie do niego mówić. On wciąż was słyszy."
            ),
            "I think of her every time I pass the hospice. I hope she knows what she did.": (
                "Myślę o niej za każdym razem, gdy przechodzę obok hospicjum. Mam nadzieję, że "
                "wie, co dla nas zrobiła."
            ),
        },
    },
    "walking-the-dog": {
        "ur": {
            "A neighbour who walked our dog": "ایک پڑوسن جو ہمارے کتے کو سیر کراتی تھی",
            "While I cared for my husband at home, a neighbour I had never met offered help.": (
                "جب میں گھر پر اپنے شوہر کی دیکھ بھال کر رہی تھی، ایک پڑوسن نے، جن سے میں کبھی "
                "نہیں ملی تھی، مدد کی پیشکش کی۔"
            ),
            "My husband wanted to die at home, and I wanted that for him too.": (
                "میرے شوہر گھر پر وفات پانا چاہتے تھے، اور میں بھی ان کے لیے یہی چاہتی تھی۔"
            ),
            "I could not leave him for long. The dog was getting no walks at all.": (
                "میں انہیں زیادہ دیر اکیلا نہیں چھوڑ سکتی تھی۔ کتے کو بالکل سیر نہیں مل رہی تھی۔"
            ),
            "A neighbour put a note through the door. She walked him every morning.": (
                "ایک پڑوسن نے دروازے سے ایک پرچی ڈالی۔ وہ ہر صبح اسے سیر کراتی تھیں۔"
            ),
            "It was such a small thing to her, and it meant everything to us.": (
                "ان کے لیے یہ ایک چھوٹی سی بات تھی، اور ہمارے لیے سب کچھ۔"
            ),
        },
    },
    "what-to-do-when-someone-dies": {
        "ur": {
            "What to do when someone dies": "جب کسی کی موت ہو جائے تو کیا کریں",
            "The first steps after a death, at home, in hospital or in a hospice.": (
                "موت کے بعد پہلے اقدامات، گھر پر، ہسپتال میں یا ہاسپیس میں۔"
            ),
            "In the first hours": "پہلے چند گھنٹوں میں",
            "If the death was expected, call the GP or the nurse who has been caring for them.": (
                "اگر موت متوقع تھی تو جی پی یا اس نرس کو فون کریں جو ان کی دیکھ بھال کر رہی تھی۔"
            ),
            "If the death was not expected, call 999.": "اگر موت غیر متوقع تھی تو 999 پر فون کریں۔",
            "In the first days": "پہلے چند دنوں میں",
            "A doctor will record the cause of death. You then register the death.": (
                "ڈاکٹر موت کی وجہ درج کرے گا۔ اس کے بعد آپ موت کا اندراج کراتے ہیں۔"
            ),
            "You can choose a funeral director when you are ready. There is no rush.": (
                "جب آپ تیار ہوں تو تدفین کا انتظام کرنے والے کا انتخاب کر سکتے ہیں۔ کوئی جلدی نہیں۔"
            ),
        },
        "pl": {
            "What to do when someone dies": "Co zrobić, gdy ktoś umrze",
            "The first steps after a death, at home, in hospital or in a hospice.": (
                "Pierwsze kroki po śmierci w domu, w szpitalu lub w hospicjum."
            ),
            "In the first hours": "W pierwszych godzinach",
            "If the death was expected, call the GP or the nurse who has been caring for them.": (
                "Jeśli śmierć była spodziewana, zadzwoń do lekarza rodzinnego lub pielęgniarki, "
                "która opiekowała się zmarłym."
            ),
            "If the death was not expected, call 999.": (
                "Jeśli śmierć była niespodziewana, zadzwoń pod numer 999."
            ),
            "In the first days": "W pierwszych dniach",
            "A doctor will record the cause of death. You then register the death.": (
                "Lekarz stwierdzi przyczynę zgonu. Następnie rejestrujesz zgon."
            ),
            "You can choose a funeral director when you are ready. There is no rush.": (
                "Zakład pogrzebowy możesz wybrać, gdy będziesz gotowy. Nie ma pośpiechu."
            ),
        },
    },
    "talking-to-children-about-death": {
        "ur": {
            "Talking to children about death": "بچوں سے موت کے بارے میں بات کرنا",
            "Plain words, honest answers, and what to expect from grieving children.": (
                "سادہ الفاظ، سچے جواب، اور سوگوار بچوں سے کیا توقع رکھیں۔"
            ),
            "Use the words died and dead. Phrases like gone to sleep can frighten children.": (
                "فوت ہو گئے اور مر گئے جیسے الفاظ استعمال کریں۔ سو گئے جیسے جملے بچوں کو ڈرا "
                "سکتے ہیں۔"
            ),
            "Children grieve in bursts. They may be sad one minute and playing the next.": (
                "بچے وقفے وقفے سے غم کرتے ہیں۔ وہ ایک لمحے اداس اور اگلے لمحے کھیل رہے ہو سکتے ہیں۔"
            ),
            "Tell their school, so that teachers can look out for them.": (
                "ان کے اسکول کو بتائیں، تاکہ اساتذہ ان کا خیال رکھ سکیں۔"
            ),
        },
        "pl": {
            "Talking to children about death": "Jak rozmawiać z dziećmi o śmierci",
            "Plain words, honest answers, and what to expect from grieving children.": (
                "Proste słowa, szczere odpowiedzi i czego spodziewać się po dzieciach w żałobie."
            ),
            "Use the words died and dead. Phrases like gone to sleep can frighten children.": (
                "Używaj słów zmarł i nie żyje. Zwroty takie jak zasnął mogą przestraszyć dzieci."
            ),
            "Children grieve in bursts. They may be sad one minute and playing the next.": (
                "Dzieci przeżywają żałobę falami. W jednej chwili są smutne, w następnej się bawią."
            ),
            "Tell their school, so that teachers can look out for them.": (
                "Powiedz o tym w szkole, aby nauczyciele mogli mieć je na oku."
            ),
        },
    },
}

# Two short stories and two short guides in every language, and the section pages.
_PARTNER = {
    "title": "Caring for my partner at night",
    "summary": "A volunteer sat with my partner one evening a week, so that I could sleep.",
    "p1": "I had not slept a whole night for months. I was making mistakes.",
    "p2": "A trained volunteer came every Thursday. I slept, and woke up able to cope.",
}
_NURSE = {
    "title": "What a district nurse sees",
    "summary": "Twenty years of visiting people at home near the end of their lives.",
    "p1": "Most people I visit want to be at home. Their carers are often exhausted.",
    "p2": "The most useful thing a neighbour can do is ask a specific question.",
    "q": "Not: let me know if I can help. But: can I pick up your shopping on Tuesday?",
}
_REGISTER = {
    "title": "Registering a death",
    "summary": "Who can register a death, where, and what to take with you.",
    "p1": "In England and Wales a death is usually registered within five days.",
    "p2": "Take the medical certificate of cause of death, if you have been given it.",
}
_CARER = {
    "title": "Looking after yourself as a carer",
    "summary": "Rest, breaks and support for the person doing the caring.",
    "p1": "Caring is hard work. Needing a break does not mean you care less.",
    "p2": "Volunteers can sit with the person you care for while you rest.",
}


def _keyed(english, translated):
    return {english[key]: translated[key] for key in translated}


_MORE = {
    "stories": {
        "cy": {
            "Stories": "Straeon",
            STORY_INDEX["introduction"]: (
                "Mae pobl sydd wedi gofalu, galaru, gwirfoddoli neu fyw gyda salwch yn dweud sut "
                "brofiad oedd e, a beth helpodd. Enghreifftiau yw'r straeon ar y wefan hon."
            ),
            STORY_INDEX["share_introduction"]: (
                "Gallai eich profiad helpu rhywun sy'n mynd trwy'r un peth. Adroddwch ef yn eich "
                "geiriau eich hun."
            ),
        },
        "bn": {
            "Stories": "গল্প",
            STORY_INDEX["introduction"]: (
                "যাঁরা যত্ন নিয়েছেন, শোক পেয়েছেন, স্বেচ্ছাসেবা করেছেন বা অসুস্থতা নিয়ে বেঁচে "
                "আছেন, তাঁরা বলেন কেমন ছিল, আর কী সাহায্য করেছে। এই সাইটের গল্পগুলো উদাহরণ।"
            ),
            STORY_INDEX["share_introduction"]: (
                "আপনার অভিজ্ঞতা একই পথে চলা কাউকে সাহায্য করতে পারে। নিজের ভাষায় বলুন।"
            ),
        },
        "ar": {
            "Stories": "قصص",
            STORY_INDEX["introduction"]: (
                "أناس قدّموا الرعاية أو فقدوا أحبّاءهم أو تطوعوا أو عاشوا مع المرض يروون كيف "
                "كانت التجربة وما الذي ساعدهم. القصص في هذا الموقع التجريبي أمثلة."
            ),
            STORY_INDEX["share_introduction"]: (
                "قد تساعد تجربتك شخصًا يمر بالشيء نفسه. اروِها بكلماتك."
            ),
        },
    },
    "guides": {
        "cy": {
            "Guides and resources": "Canllawiau ac adnoddau",
            LIBRARY["introduction"]: (
                "Canllawiau clir i'w darllen ar-lein, eu hargraffu, neu eu lawrlwytho mewn "
                "fformatau ac ieithoedd eraill."
            ),
        },
        "bn": {
            "Guides and resources": "নির্দেশিকা ও তথ্য",
            LIBRARY["introduction"]: (
                "সহজ নির্দেশিকা: অনলাইনে পড়ুন, প্রিন্ট করুন, বা অন্য ফরম্যাট ও ভাষায় ডাউনলোড করুন।"
            ),
        },
        "ar": {
            "Guides and resources": "أدلة وموارد",
            LIBRARY["introduction"]: (
                "أدلة واضحة للقراءة على الإنترنت أو الطباعة أو التنزيل بصيغ ولغات أخرى."
            ),
        },
    },
    "caring-for-my-partner": {
        "cy": _keyed(
            _PARTNER,
            {
                "title": "Gofalu am fy mhartner yn y nos",
                "summary": "Roedd gwirfoddolwr yn eistedd gyda fy mhartner un noson yr wythnos, er "
                "mwyn i mi gysgu.",
                "p1": "Doeddwn i ddim wedi cysgu noson gyfan ers misoedd. Roeddwn i'n gwneud "
                "camgymeriadau.",
                "p2": "Daeth gwirfoddolwr hyfforddedig bob dydd Iau. Cysgais, a deffro'n gallu "
                "ymdopi.",
            },
        ),
        "pl": _keyed(
            _PARTNER,
            {
                "title": "Nocna opieka nad partnerem",
                "summary": "Wolontariuszka raz w tygodniu czuwała wieczorem przy moim partnerze, "
                "żebym mogła się wyspać.",
                "p1": "Od miesięcy nie przespałam całej nocy. Zaczęłam popełniać błędy.",
                "p2": "Co czwartek przychodziła przeszkolona wolontariuszka. Spałam i budziłam się "
                "z siłami.",
            },
        ),
        "bn": _keyed(
            _PARTNER,
            {
                "title": "রাতে আমার সঙ্গীর যত্ন",
                "summary": "সপ্তাহে এক সন্ধ্যা একজন স্বেচ্ছাসেবক আমার সঙ্গীর পাশে বসতেন, যাতে আমি ঘুমাতে পারি।",
                "p1": "মাসের পর মাস আমি পুরো রাত ঘুমাইনি। আমি ভুল করছিলাম।",
                "p2": "প্রতি বৃহস্পতিবার একজন প্রশিক্ষিত স্বেচ্ছাসেবক আসতেন। আমি ঘুমাতাম, আর "
                "জেগে উঠে সামলাতে পারতাম।",
            },
        ),
        "ur": _keyed(
            _PARTNER,
            {
                "title": "رات کو اپنے ساتھی کی دیکھ بھال",
                "summary": "ایک رضاکار ہفتے میں ایک شام میرے ساتھی کے پاس بیٹھتا تھا، تاکہ میں سو "
                "سکوں۔",
                "p1": "مہینوں سے میں پوری رات نہیں سوئی تھی۔ مجھ سے غلطیاں ہو رہی تھیں۔",
                "p2": "ہر جمعرات ایک تربیت یافتہ رضاکار آتا تھا۔ میں سوتی، اور جاگ کر سنبھل "
                "سکتی تھی۔",
            },
        ),
        "ar": _keyed(
            _PARTNER,
            {
                "title": "رعاية شريكي في الليل",
                "summary": "كان متطوع يجلس مع شريكي مساء يوم في الأسبوع، حتى أتمكن من النوم.",
                "p1": "لم أنم ليلة كاملة منذ أشهر. كنت أرتكب الأخطاء.",
                "p2": "كان متطوع مدرَّب يأتي كل خميس. كنت أنام، وأستيقظ قادرًا على الاحتمال.",
            },
        ),
    },
    "a-district-nurse": {
        "cy": _keyed(
            _NURSE,
            {
                "title": "Yr hyn mae nyrs ardal yn ei weld",
                "summary": "Ugain mlynedd o ymweld â phobl gartref yn agos at ddiwedd eu hoes.",
                "p1": "Mae'r rhan fwyaf o'r bobl rwy'n ymweld â nhw eisiau bod gartref. Mae eu "
                "gofalwyr yn aml wedi blino'n lân.",
                "p2": "Y peth mwyaf defnyddiol y gall cymydog ei wneud yw gofyn cwestiwn penodol.",
                "q": "Nid: rhowch wybod os gallaf helpu. Ond: gaf i nôl eich siopa ddydd Mawrth?",
            },
        ),
        "bn": _keyed(
            _NURSE,
            {
                "title": "একজন ডিস্ট্রিক্ট নার্স যা দেখেন",
                "summary": "জীবনের শেষ প্রান্তে থাকা মানুষদের বাড়িতে গিয়ে দেখা করার বিশ বছর।",
                "p1": "আমি যাঁদের কাছে যাই, তাঁদের বেশিরভাগই ঘরে থাকতে চান। তাঁদের পরিচর্যাকারীরা প্রায়ই ক্লান্ত।",
                "p2": "একজন প্রতিবেশী সবচেয়ে কাজের যা করতে পারেন, তা হলো একটি নির্দিষ্ট প্রশ্ন করা।",
                "q": "এটা নয়: দরকার হলে জানাবেন। বরং: মঙ্গলবার কি আপনার বাজার এনে দেব?",
            },
        ),
        "ar": _keyed(
            _NURSE,
            {
                "title": "ما تراه ممرضة المنطقة",
                "summary": "عشرون عامًا من زيارة الناس في بيوتهم قرب نهاية حياتهم.",
                "p1": "معظم من أزورهم يريدون البقاء في البيت. وغالبًا ما يكون مقدمو الرعاية منهكين.",
                "p2": "أنفع ما يمكن أن يفعله الجار هو أن يطرح سؤالًا محددًا.",
                "q": "لا تقل: أخبرني إن كان بوسعي المساعدة. بل: هل أحضر لك التسوق يوم الثلاثاء؟",
            },
        ),
    },
    "registering-a-death": {
        "cy": _keyed(
            _REGISTER,
            {
                "title": "Cofrestru marwolaeth",
                "summary": "Pwy all gofrestru marwolaeth, ble, a beth i fynd gyda chi.",
                "p1": "Yng Nghymru a Lloegr, fel arfer caiff marwolaeth ei chofrestru o fewn pum "
                "diwrnod.",
                "p2": "Ewch â'r dystysgrif feddygol o achos marwolaeth, os ydych wedi'i chael.",
            },
        ),
        "pl": _keyed(
            _REGISTER,
            {
                "title": "Rejestracja zgonu",
                "summary": "Kto może zarejestrować zgon, gdzie i co ze sobą zabrać.",
                "p1": "W Anglii i Walii zgon rejestruje się zwykle w ciągu pięciu dni.",
                "p2": "Zabierz lekarskie zaświadczenie o przyczynie zgonu, jeśli je otrzymałeś.",
            },
        ),
        "bn": _keyed(
            _REGISTER,
            {
                "title": "মৃত্যু নিবন্ধন",
                "summary": "কে মৃত্যু নিবন্ধন করতে পারেন, কোথায়, আর সঙ্গে কী নিতে হবে।",
                "p1": "ইংল্যান্ড ও ওয়েলসে সাধারণত পাঁচ দিনের মধ্যে মৃত্যু নিবন্ধন করা হয়।",
                "p2": "মৃত্যুর কারণের মেডিক্যাল সার্টিফিকেট পেয়ে থাকলে সঙ্গে নিন।",
            },
        ),
        "ur": _keyed(
            _REGISTER,
            {
                "title": "موت کا اندراج",
                "summary": "موت کا اندراج کون کرا سکتا ہے، کہاں، اور ساتھ کیا لے جانا ہے۔",
                "p1": "انگلینڈ اور ویلز میں موت کا اندراج عام طور پر پانچ دن کے اندر ہوتا ہے۔",
                "p2": "اگر آپ کو موت کی وجہ کا طبی سرٹیفکیٹ ملا ہے تو اسے ساتھ لے جائیں۔",
            },
        ),
        "ar": _keyed(
            _REGISTER,
            {
                "title": "تسجيل الوفاة",
                "summary": "من يمكنه تسجيل الوفاة، وأين، وما الذي تأخذه معك.",
                "p1": "في إنجلترا وويلز تُسجَّل الوفاة عادةً خلال خمسة أيام.",
                "p2": "خذ معك الشهادة الطبية بسبب الوفاة، إن كنت قد حصلت عليها.",
            },
        ),
    },
    "looking-after-yourself-as-a-carer": {
        "cy": _keyed(
            _CARER,
            {
                "title": "Gofalu amdanoch eich hun fel gofalwr",
                "summary": "Gorffwys, seibiant a chymorth i'r person sy'n gofalu.",
                "p1": "Mae gofalu yn waith caled. Nid yw angen seibiant yn golygu eich bod yn "
                "gofalu llai.",
                "p2": "Gall gwirfoddolwyr eistedd gyda'r person rydych yn gofalu amdano tra "
                "byddwch yn gorffwys.",
            },
        ),
        "bn": _keyed(
            _CARER,
            {
                "title": "পরিচর্যাকারী হিসেবে নিজের যত্ন",
                "summary": "যিনি যত্ন নিচ্ছেন তাঁর জন্য বিশ্রাম, বিরতি ও সহায়তা।",
                "p1": "যত্ন নেওয়া কঠিন কাজ। বিরতি দরকার মানে এই নয় যে আপনি কম ভালোবাসেন।",
                "p2": "আপনি যখন বিশ্রাম নেন, স্বেচ্ছাসেবকেরা আপনার প্রিয়জনের পাশে বসতে পারেন।",
            },
        ),
        "ar": _keyed(
            _CARER,
            {
                "title": "اعتنِ بنفسك بوصفك مقدّم رعاية",
                "summary": "الراحة والاستراحات والدعم لمن يقوم بالرعاية.",
                "p1": "الرعاية عمل شاق. وحاجتك إلى استراحة لا تعني أنك تهتم أقل.",
                "p2": "يمكن للمتطوعين الجلوس مع من ترعاه بينما تستريح.",
            },
        ),
    },
}
for _slug, _by_language in _MORE.items():
    TRANSLATIONS.setdefault(_slug, {}).update(_by_language)
