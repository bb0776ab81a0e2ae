"""Other ways the same name is written: domain data for finding one child whatever the spelling.

Sound codes (``domain.names``) already unite spellings that sound alike (Mohammed/Muhammad,
Aisha/Ayesha). What they cannot see is a name written in a different *form*: an abbreviation
(Mohd, Md), an Arabic article joined, split or dropped (Abdul-/Abdi-/Abd al-/Abdel; Al-Sayed,
Alsayed, El Sayed, Sayed), a Gaelic name spelt as it sounds (Tadhg/Tige), a nickname (Biddy for
Bridget), a Lithuanian surname in its daughter's form (Kazlauskaitė for Kazlauskas), a Somali name
in Somali orthography (Axmed), or a Yoruba/Igbo name without its leading element (Seun for
Oluwaseun). ``word_forms`` gives a normalised word together with the forms it stands for; search
keys are made from every form, both when a person is stored and when a name is typed, so either
spelling meets the other. Everything here is additive: a form never replaces the word as written.

The groups are spellings and short forms that referrers really use, gathered from naming guides for
the communities a hub serves; an administrator-editable table can replace this module later.
"""

from __future__ import annotations

from functools import lru_cache

# Each group: the spellings, abbreviations and short forms of one name, canonical form first.
# A spelling may sit in more than one group (Sam: Samuel and Samantha).
VARIANT_GROUPS: tuple[tuple[str, ...], ...] = (
    # abbreviations and transliterations of Arabic-origin names (sound codes already join most)
    ("muhammad", "mohammed", "mohamed", "mohammad", "muhammed", "mohd", "muhd", "md", "mhd", "mo", "moh"),
    ("ahmed", "ahmad", "ahmet"),
    ("hussain", "hussein", "husain", "hossain", "hossein", "husein", "huseyin"),
    ("mustafa", "mostafa", "mustafe", "moustafa", "mostapha"),
    ("ibrahim", "ebrahim", "ibraheem", "ibrahima", "ebrahem"),
    ("ismail", "ismaeel", "ismael", "ismaail", "ismaaciil"),
    ("zakariya", "zakaria", "zakariyya", "zakariyah", "zachariah", "zak", "zack"),
    ("yusuf", "yousuf", "yousef", "youssef", "yusef", "yosef", "yussuf"),
    ("uthman", "usman", "osman", "othman", "cusman"),
    ("umar", "omar", "cumar"),
    ("sheikh", "shaikh", "shaykh", "sheik", "shaik"),
    ("chowdhury", "choudhury", "chaudhry", "chaudhary", "chowdhry", "choudhry", "chaudhri"),
    ("siddiqui", "siddiqi", "siddique", "sadiqi"),
    ("qureshi", "kureshi", "quraishi", "qureishi", "qurashi"),
    ("khatun", "khatoon"),
    ("saeed", "said", "saied", "saiid", "sayeed"),
    ("sayyid", "sayed", "syed", "sayid", "said", "saeed"),
    ("nur", "noor", "nour", "nuur"),
    ("nasser", "nasir", "naser", "nasr", "nassir"),
    ("yahya", "yahye", "yahia", "yehia"),
    ("abubakar", "abubakr", "abubaker", "abubakir", "abubakari"),
    ("nuruddin", "nureddine", "noureddine", "nourdine", "nuraldin", "nuraddin", "nuruddeen"),
    ("khadija", "khadijah", "khadeeja", "kadija", "khadra"),
    # Irish and Gaelic names, and the spellings they are heard as
    ("siobhan", "shivaun", "shivawn", "shevaun", "shevonne", "chevonne", "shivon", "shavonne", "siobhain"),
    ("niamh", "neve", "neeve", "neave", "niav", "nieve", "neev"),
    ("aoife", "eefa", "eefah", "eefe", "ifa"),
    ("caoimhe", "keeva", "kweeva", "queeva", "keva", "kiva"),
    ("saoirse", "seersha", "searsha", "sersha", "sairsha", "seersa"),
    ("tadhg", "tige", "teague", "taig", "teig", "tighe", "thady", "tiege"),
    ("oisin", "osheen", "usheen", "oshin", "osin"),
    ("roisin", "rosheen", "roshin", "rosin"),
    ("sinead", "shinead", "shinade", "shanade", "shinaid", "sinaid"),
    ("padraig", "padraic", "paraic", "pauric", "podraig", "patrick", "paddy", "pat", "patsy"),
    ("eoin", "owen", "eoghan", "oin"),
    ("ciaran", "kieran", "keiran", "kieron", "ciaron", "kieren"),
    ("aisling", "ashling", "ashlin", "aislinn", "ashlyn", "ashleen"),
    ("grainne", "grania", "graunya", "granya", "grainnia"),
    ("sadhbh", "sive", "sadbh", "sayve", "sieve", "sabha"),
    ("meabh", "maeve", "meadhbh", "maev", "mave", "maebh"),
    ("cathal", "cahal", "cathel", "cahall"),
    ("ruairi", "rory", "ruari", "ruaidhri", "rorie", "ruairidh"),
    ("eabha", "eva", "eve", "aoibhe", "aoibh", "eeva"),
    ("clodagh", "cloda", "clodah", "clodie"),
    ("fionnuala", "finola", "fionnula", "nuala", "finnuala", "finnoula"),
    ("dearbhla", "dervla", "dearbhail", "dervilla", "dearbla"),
    ("eimear", "emer", "eimer", "eimhear", "eimir"),
    ("cian", "kian", "kean", "keane"),
    ("darragh", "dara", "daragh", "darach", "darra"),
    ("siofra", "sheefra", "shifra", "sheafra"),
    ("blathnaid", "blanid", "blanaid", "blathnat", "blahnid", "blaneed"),
    ("caoimhin", "kevin", "kevan", "keevin", "caomhin"),
    ("ailbhe", "alva", "alvy", "ailve", "alvie"),
    ("orlaith", "orla", "orlagh", "orlath", "orlaigh"),
    ("donnchadh", "donagh", "donncha", "donough", "donogh", "donnacha", "donacha"),
    ("aoibheann", "eevin", "aoibhinn", "eavan", "evin", "aoibhin", "eveen"),
    ("sean", "shaun", "shawn", "shon", "seaghan"),
    ("seamus", "shamus", "seamie", "shay", "james"),
    ("ciara", "keira", "kiera", "kiara", "ciarra", "keara"),
    ("una", "oona", "oonagh", "unagh", "ona"),
    ("aine", "anya", "aunya", "onya", "awnya"),
    ("eithne", "enya", "etna", "ena", "ethna"),
    ("cliodhna", "cliona", "cleena", "kleena", "clina"),
    ("bronagh", "brona", "bronach"),
    ("mairead", "maraid", "mairaid", "maread"),
    ("muireann", "murin", "mureen", "muirinn"),
    # Irish and Traveller family names written several ways
    ("maughan", "mongan", "maughn", "mangan", "maugham"),
    ("doherty", "docherty", "dougherty", "dohertie", "dogherty"),
    ("mcdonagh", "mcdonough", "macdonagh", "mcdona", "mcdonnagh"),
    ("mcginley", "mcginly", "maginley", "mcginnley"),
    # Akan day names (Twi and Fante forms) and Ghanaian family names
    ("kwadwo", "kojo", "kodwo", "kwadjo", "jojo", "kwadjwo"),
    ("kwabena", "kobina", "kobby", "kobi", "kwabina", "ebo"),
    ("kwaku", "kweku", "kwaaku", "kuuku"),
    ("kwasi", "kwesi", "akwasi", "kwasie", "kwesie"),
    ("kwame", "kwami", "kwamena", "kwamina", "ato"),
    ("kofi", "fiifi", "kofie"),
    ("yaw", "yao", "ekow"),
    ("adwoa", "adjoa", "adjowa", "adwowa", "adzoa"),
    ("akua", "akuah", "akuba", "ekua"),
    ("afua", "afia", "efua", "afiba", "efia"),
    ("abena", "abenaa", "abina", "araba"),
    ("ama", "amma", "amba"),
    ("esi", "essie", "essi", "esie"),
    ("yaa", "yaaba"),
    ("agyemang", "agyeman", "agyemong"),
    ("acheampong", "achiampong", "acheampon", "achampong"),
    ("kyei", "chey", "chei", "kyeh"),
    # Yoruba and Igbo names and their everyday short forms
    ("babatunde", "tunde"),
    ("chukwuemeka", "emeka"),
    ("chiamaka", "amaka"),
    ("oluwaseun", "seun", "shewn"),
    ("oluwatobi", "tobi", "tobiloba"),
    ("oluwaseyi", "seyi"),
    ("oluwadamilare", "damilare", "dami"),
    ("oluwafunmilayo", "funmilayo", "funmi", "funmilola"),
    ("folasade", "sade", "fola"),
    ("ifeoluwa", "ife"),
    ("adaeze", "ada", "adaora", "adanna"),
    ("ayodele", "ayo"),
    ("olamide", "lamide", "mide"),
    # English, Irish and Traveller nicknames and pet names
    ("robert", "bob", "bobby", "rob", "robbie", "bert"),
    ("william", "will", "billy", "bill", "liam", "willie", "wills"),
    ("thomas", "tom", "tommy", "tomas", "tomasz"),
    ("james", "jim", "jimmy", "jamie", "jimi", "jamey"),
    ("john", "johnny", "jon", "johnjo", "johnnie", "jonny"),
    ("michael", "mike", "mikey", "mick", "micky", "mickey", "michal", "mikolaj"),
    ("margaret", "maggie", "peggy", "meg", "maggy", "mags", "mairead", "malgorzata", "gosia"),
    ("bridget", "biddy", "bridie", "breda", "brigid", "bridgette", "bridgit", "bridgie"),
    ("kathleen", "kathy", "kath", "katie", "kate", "cathleen", "kitty"),
    ("katherine", "catherine", "kate", "katie", "kathryn", "cath", "cathy", "kitty", "katarzyna", "kasia"),
    ("elizabeth", "liz", "lizzie", "beth", "betty", "libby", "eliza", "elisabeth", "elzbieta"),
    ("ellen", "nell", "nellie", "ellie", "nelly"),
    ("eleanor", "ellie", "nora", "elinor", "elenor", "eleanore"),
    ("winifred", "winnie", "win", "freda"),
    ("frederick", "fred", "freddie", "freddy", "fredrick"),
    ("alfred", "alfie", "alf", "freddie"),
    ("charles", "charlie", "chas", "chuck", "charley"),
    ("charlotte", "charlie", "lottie", "lotte", "charley"),
    ("henry", "harry", "hal", "hank"),
    ("harrison", "harry"),
    ("isabella", "izzy", "bella", "isabelle", "isobel", "issy", "izzie", "isabel"),
    ("edward", "ed", "eddie", "ted", "teddy", "ned"),
    ("samuel", "sam", "sammy"),
    ("samantha", "sam", "sammy", "sammie"),
    ("joshua", "josh"),
    ("daniel", "dan", "danny"),
    ("david", "dawid", "dave", "davey", "dafydd"),
    ("nicholas", "nick", "nicky", "nico"),
    ("alexander", "alex", "alec", "sandy", "aleksander", "alexandru", "aleksandr", "sasha"),
    ("alexandra", "alex", "aleksandra", "sasha", "alexa", "ola"),
    ("rebecca", "becky", "becca", "bex"),
    ("abigail", "abbie", "abby", "abi", "gail"),
    ("victoria", "vicky", "wiktoria", "tori", "viktoria", "vikki"),
    ("rose", "rosie", "rosa", "rosy"),
    ("mary", "maria", "marie", "molly", "mamie"),
    ("benjamin", "ben", "benny", "benas", "benji"),
    # Polish, Romanian and Lithuanian names and their English forms and diminutives
    ("jakub", "kuba", "jacob", "jakob", "jokubas"),
    ("bartosz", "bartek", "bart", "bartlomiej"),
    ("lukasz", "lukas", "lucas", "luke", "lukasas"),
    ("krzysztof", "krzys", "christopher", "kristof", "krystof", "chris", "kristupas"),
    ("szymon", "simon", "szymek", "simonas"),
    ("wojciech", "wojtek"),
    ("oliwia", "olivia"),
    ("weronika", "veronika", "veronica"),
    ("zofia", "sofia", "sophia", "zosia"),
    ("aleksander", "olek", "aleks"),
    ("ionut", "ion", "ionel"),
    ("stefan", "stephen", "steven", "stefanas"),
    ("vasile", "vasilie", "vasyl", "vasili"),
)

# Arabic articles and connectors written as words of their own (Nur al-Din, Ahmad bin Said): part of
# the name when joined, but no name on their own.
ARTICLES = frozenset(
    {"al", "el", "ul", "ad", "ud", "ar", "ur", "as", "us", "an", "un", "at", "az", "bin", "ibn", "bint"}
)

# Leading elements of Yoruba and Igbo names that everyday short forms leave off (Oluwaseun → Seun,
# Chukwuemeka → Emeka, Babatunde → Tunde, Adebayo → Bayo, Folasade → Sade).
_DROPPED_LEADS = ("oluwa", "olu", "chukwu", "chi", "baba", "ade", "fola", "ayo", "ife")
# Lithuanian family names: a father's -as/-is/-ys/-us, an unmarried daughter's -aitė/-ytė/-utė,
# a married woman's -ienė share one stem (Kazlauskas, Kazlauskaitė, Kazlauskienė).
_LITHUANIAN_ENDINGS = ("aite", "iute", "yte", "ute", "iene", "as", "is", "ys", "us")
_VOWELS = frozenset("aeiouy")
_MIN_STEM = 3


def _build_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for group in VARIANT_GROUPS:
        for spelling in group:
            index.setdefault(spelling, set()).update(group)
    return {spelling: frozenset(forms) for spelling, forms in index.items()}


_INDEX = _build_index()


def _arabic_abd(word: str) -> str | None:
    """Abdul-, Abdel-, Abdi-, Abdu-, Abd al-, Abdur- as one form: "abdulrahman", "abdirahman" → "abdrahman"."""
    if not word.startswith("abd") or len(word) <= 3:
        return None
    rest = word[3:]
    if rest[0] in _VOWELS:
        rest = rest[1:]
    if len(rest) >= 2 and rest[0] == "l" and rest[1] not in _VOWELS:
        rest = rest[1:]  # the article's l before the next consonant (Abdul Karim, Abdullah)
    return "abd" + rest


def _arabic_article(word: str) -> str | None:
    """A joined article dropped: "alsayed" → "sayed", "elmasri" → "masri" (the word itself is kept too)."""
    if len(word) >= 6 and word[:2] in ("al", "el") and word[2] not in _VOWELS:
        return word[2:]
    return None


def _somali_x(word: str) -> str | None:
    """Somali orthography writes ħ as x: "axmed" → "ahmed", "xasan" → "hasan"."""
    if "x" not in word:
        return None
    chars = list(word)
    for i, char in enumerate(chars):
        if char == "x" and (i == 0 or chars[i - 1] in _VOWELS) and i + 1 < len(chars):
            chars[i] = "h"
    changed = "".join(chars)
    return changed if changed != word else None


@lru_cache(maxsize=32768)  # names recur across people and keystrokes
def word_forms(word: str) -> frozenset[str]:
    """A normalised name word and the other forms it stands for (always including itself)."""
    forms = {word}
    forms.update(_INDEX.get(word, ()))
    for rule in (_arabic_abd, _arabic_article, _somali_x):
        changed = rule(word)
        if changed:
            forms.add(changed)
            forms.update(_INDEX.get(changed, ()))
    for lead in _DROPPED_LEADS:
        if word.startswith(lead) and len(word) - len(lead) >= _MIN_STEM and word not in _INDEX:
            forms.add(word[len(lead) :])
            break
    if len(word) >= 7:
        for ending in _LITHUANIAN_ENDINGS:
            if word.endswith(ending):
                forms.add(word[: -len(ending)])
                break
    return frozenset(forms)


def same_name(a: str, b: str) -> bool:
    """Two normalised words are forms of one name (Mohd/Muhammad, Tadhg/Tige, Kazlauskaitė/Kazlauskas)."""
    return a == b or not word_forms(a).isdisjoint(word_forms(b))
