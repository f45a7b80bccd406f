"""A case written in the scripts people in the UK write in: right-to-left, joined, Indic."""

from __future__ import annotations

from evidence_app.core.dates import parse_when
from evidence_app.core.incidents import add_note, create_incident
from evidence_app.core.people import create_person, link_person

TZ = "Europe/London"
# "I will find you wherever you go" and similar, as a person might quote them.
ARABIC = "سأجدك أينما ذهبت"
ARABIC_LAM_ALEF = "لا تخبري الشرطة"  # "don't tell the police": lam-alef ligatures
URDU = "میں تمہیں ڈھونڈ لوں گا"
PERSIAN = "می دانم کجا زندگی می کنی"
HEBREW = "אני יודע איפה את גרה"
HINDI = "मैं तुम्हें ढूंढ लूंगा"
BENGALI = "আমি তোমাকে খুঁজে পাব"
PUNJABI = "ਮੈਂ ਤੈਨੂੰ ਲੱਭ ਲਵਾਂਗਾ"
GUJARATI = "હું તને શોધી લઈશ"
TAMIL = "நான் உன்னைக் கண்டுபிடிப்பேன்"
# Scripts with no glyphs at all in DejaVu Sans: Ethiopic (Amharic, Tigrinya), Sri Lanka's
# and South India's scripts, Odia, and South-East Asia's (Thai, Lao, Burmese, Khmer).
AMHARIC = "የትም ብትሄጂ አገኝሻለሁ።"
SINHALA = "මම ඔයාව හොයාගන්නවා"
MALAYALAM = "ഞാൻ നിന്നെ കണ്ടെത്തും"
TELUGU = "నేను నిన్ను కనుగొంటాను"
KANNADA = "ನಾನು ನಿನ್ನನ್ನು ಹುಡುಕುತ್ತೇನೆ"
ODIA = "ମୁଁ ତୁମକୁ ଖୋଜିବି"
THAI = "ฉันจะตามหาเธอให้เจอ"
LAO = "ຂ້ອຍຈະຊອກຫາເຈົ້າ"
BURMESE = "မင်းကို ငါရှာမယ်"
KHMER = "ខ្ញុំនឹងរកអ្នកឃើញ"
MORE_SCRIPTS = {"Amharic": AMHARIC, "Sinhala": SINHALA, "Malayalam": MALAYALAM,
                "Telugu": TELUGU, "Kannada": KANNADA, "Odia": ODIA, "Thai": THAI, "Lao": LAO,
                "Burmese": BURMESE, "Khmer": KHMER}
MIXED = f'At 23:40 he sent "{ARABIC}" from 07700 900123 (see JS/4).'
RTL_DESCRIPTION = f"{ARABIC}. {ARABIC_LAM_ALEF}! رسالة تهديد من الرقم 07700 900123"
LONG_ARABIC = " ".join([ARABIC, ARABIC_LAM_ALEF, "هذه رسالة طويلة جدا"] * 25)


def fill_scripts_case(case) -> dict[str, int]:
    """Incidents whose titles, descriptions, notes and people use many scripts."""
    w = lambda text: parse_when(text, TZ)  # noqa: E731
    ids = {}
    ids["arabic"] = create_incident(
        case, when=w("01/03/2025 23:40"), title="رسالة تهديد – threat in Arabic",
        category="threats", description=f"{MIXED}\n{RTL_DESCRIPTION}",
        location="Outside the mosque, شارع الملك", impact=LONG_ARABIC)
    ids["urdu"] = create_incident(
        case, when=w("02/03/2025 08:15"), title=URDU, category="contact_text",
        description=f"Urdu: {URDU}. Persian: {PERSIAN}.")
    ids["hebrew"] = create_incident(
        case, when=w("03/03/2025 12:00"), title="Hebrew message",
        description=f"He wrote: {HEBREW} (2025).")
    ids["indic"] = create_incident(
        case, when=w("04/03/2025 19:30"), title=HINDI, category="contact_text",
        description=f"Hindi: {HINDI}\nBengali: {BENGALI}\nPunjabi: {PUNJABI}\n"
        f"Gujarati: {GUJARATI}\nTamil: {TAMIL}")
    ids["more"] = create_incident(
        case, when=w("05/03/2025 21:10"), title=f"{AMHARIC} – texts in many languages",
        category="contact_text",
        description="\n".join(f"{lang}: {text}" for lang, text in MORE_SCRIPTS.items()),
        impact=" ".join([THAI] * 30))
    add_note(case, ids["arabic"], f"Translated by my cousin: {ARABIC_LAM_ALEF}")
    person = create_person(case, "أحمد خان", role="suspect", description=f"Writes in {PUNJABI}")
    link_person(case, ids["arabic"], person)
    return ids


# One sentence in each shaped script, as it might be the whole of what a person wrote.
# Gujarati's first word starts a syllable whose vowel sign HarfBuzz lowers: drawn from
# its second glyph on (as a paragraph of one run is), the run starts with a lowered
# glyph. No punctuation: punctuation would make the paragraph several runs.
ALONE = {
    "Arabic": "قَالَ إِنَّهُ سَيَقْتُلُنِي. لا تخبري الشرطة",
    "Urdu": URDU,
    "Persian": PERSIAN,
    "Hebrew": "הוּא אָמַר שֶׁיִּמְצָא אוֹתִי",
    "Hindi": "उसने मुझे फिर से फोन किया और धमकी दी। क्षत्रिय श्री",
    "Bengali": BENGALI,
    "Punjabi": PUNJABI,
    "Gujarati": f"{GUJARATI} તેણે મને ફરીથી ફોન કર્યો અને ધમકી આપી",
    "Tamil": TAMIL,
    "Telugu": TELUGU,
    "Kannada": KANNADA,
    "Malayalam": MALAYALAM,
    "Sinhala": SINHALA,
    "Thai": THAI,
    "Odia": ODIA,
    "Lao": LAO,
    "Burmese": BURMESE,
    "Khmer": KHMER,
    "Amharic": AMHARIC,
}


def fill_alone_case(case) -> dict[str, int]:
    """An incident per script written in that script alone (title, effect on the
    person, and an account with emoji inside), then one with every script mixed."""
    ids = {}
    for n, (lang, text) in enumerate(ALONE.items()):
        when = parse_when(f"{n + 1:02d}/04/2025 21:00", TZ)
        ids[lang] = create_incident(case, when=when, title=text, impact=text,
                                    description=f"{text} 🔪 {text}\n{text}😡")
    ids["mixed"] = create_incident(
        case, when=parse_when("30/04/2025 21:00", TZ), title="Every script at once",
        description=" 🔪 ".join(ALONE.values()) + " 👍🏽")
    return ids
