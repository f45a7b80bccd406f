"""The sample case's story: five months of escalating harassment by an ex-partner.

Every name, address, number plate, phone number (Ofcom's drama range) and reference
here is invented. Days count from the start of the story; times are UK local time. An
undated entry's day and time say when it was written down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OWNER = "Sarah Mitchell"
INITIALS = "SM"
CASE_NAME = "Sarah Mitchell: harassment by Daniel Hargreaves"
ADDRESS = "14 Elm Grove, Headingley, Leeds LS6 2XY"
CONTACT = "07700 900123 · sarah.mitchell@example.com"
PLATE = "YD19 KXP"
HOME = (53.8196, -1.5769)
WORK = (53.7983, -1.5480)

PEOPLE: dict[str, dict[str, str]] = {
    "dan": {"name": "Daniel Hargreaves", "role": "suspect", "relation": "Former partner",
            "description": "Ex-partner (together 2019-2024). White, 34, about 6 ft, short dark "
                           "hair and a beard. Usually a black North Face coat.",
            "contact": "07700 900461 · dan.h@example.com"},
    "priya": {"name": "Priya Shah", "role": "witness", "relation": "Neighbour",
              "description": "Neighbour at number 16; has seen the car and heard the banging.",
              "contact": "07700 900588"},
    "emma": {"name": "Emma Mitchell", "role": "witness", "relation": "Sister",
             "description": "My sister. Dan has contacted her about me several times.",
             "contact": "07700 900302"},
    "officer": {"name": "PC 2291 Laura Bennett", "role": "officer",
                "description": "West Yorkshire Police, Leeds District Safeguarding. "
                               "Officer in charge since the first report.",
                "contact": "101 (quote the crime reference)"},
}
VEHICLE = {"make": "Vauxhall", "model": "Astra", "colour": "Silver", "plate": PLATE,
           "description": "Hatchback, dent in the rear bumper, roof bars."}


@dataclass(frozen=True)
class File:
    """A picture or file taken during an incident, `after` minutes after it started."""

    kind: str  # photo:<name>, messages, whatsapp, instagram, calls, email, voicemail, forwarded
    after: int = 5
    gps: tuple[float, float] | None = None
    content: Any = None
    caption: str = ""


@dataclass(frozen=True)
class Entry:
    """One incident as the person recorded it."""

    day: int
    time: str
    precision: str
    category: str
    title: str
    location: str = ""
    description: str = ""
    impact: str = ""
    end: str = ""  # "HH:MM" (same night, maybe past midnight) for 'between'
    appearance: str = ""
    voice: str = ""
    clothing: str = ""
    witnesses: str = ""
    people: tuple[str, ...] = ("dan",)
    vehicle: bool = False
    tags: tuple[str, ...] = ()
    notes: tuple[tuple[str, bool], ...] = ()  # (text, private)
    files: tuple[File, ...] = ()
    recorded_after_h: float = 1.0
    reported: bool = False  # the officer and the crime reference are filled in
    amend: dict[str, str] = field(default_factory=dict)  # changed two days later
    # Effects ticked in "Impact on me": (kind, words, pence spent or None), dated that day.
    impacts: tuple[tuple[str, str, int | None], ...] = ()


DAN_LOOKS = "Tall, beard, short dark hair"
DAN_COAT = "Black North Face coat, grey joggers"
WITHHELD = "No caller ID"

STORY: list[Entry] = [
    Entry(2, "21:47", "exact", "contact_text", "Texts after the break-up: 'we need to talk'",
          "Home", "Six texts in an hour after I told him it was over and asked for space.",
          "Anxious; could not sleep.", tags=("texts",), files=(File("messages", 6, content=[
              (True, "We need to talk. You can't just end 5 years by text", "21:31"),
              (False, "I've said what I needed to say. Please give me some space.", "21:35"),
              (True, "Space? I'm coming round", "21:44"),
              (True, "Answer me Sarah", "21:47")]),)),
    Entry(11, "19:00", "circa", "third_party", "Asked my sister where I am living now",
          "Emma's house, Horsforth", "Dan turned up at Emma's and asked for my new address. "
          "She did not tell him.", witnesses="Emma Mitchell", people=("dan", "emma"),
          tags=("sister",)),
    Entry(17, "", "day", "contact_call", "Eleven missed calls from a withheld number",
          "", "Calls all day from a withheld number; the voice on the one I answered was Dan's.",
          "Turned my phone off at work.", files=(File("calls", 600, content=[
              (WITHHELD, "22:10", "Missed call"), (WITHHELD, "21:52", "Missed call"),
              (WITHHELD, "19:05", "Missed call"), (WITHHELD, "13:40", "Missed call"),
              (WITHHELD, "08:15", "Missed call")]),)),
    Entry(20, "", "month", "monitoring", "He was still logged in to my shopping account",
          "Online", "Sometime this month I noticed orders I had placed being mentioned in his "
          "messages. Changed all my passwords.", "Felt watched in my own home.",
          tags=("online",), recorded_after_h=96),
    Entry(33, "08:15", "exact", "following", "Followed me from the bus stop to work",
          "Otley Road to Park Row, Leeds", "He got on the same bus and walked behind me to the "
          "office door, about 20 metres back.", "Now take a taxi some days.",
          appearance=DAN_LOOKS, clothing=DAN_COAT, tags=("work",)),
    Entry(38, "22:30", "exact", "contact_social", "New Instagram account messaging me",
          "Instagram", "Account 'd.h_2024' with no posts started messaging. Blocked it.",
          tags=("online",), files=(File("instagram", 4, content=[
              (True, "You blocked me on everything else", "22:24"),
              (True, "Nice photo from Saturday. Who's he?", "22:26"),
              (True, "I'm not going away", "22:29")]),)),
    Entry(41, "", "day", "gifts_letters", "Flowers left on the doorstep with a card",
          "Home, front door", "Red roses in the porch when I got home. Card says 'You can't "
          "ignore me forever. D x'.", "Did not want to go inside alone.", tags=("home",),
          files=(File("photo:flowers", 1080, gps=HOME, caption="The flowers and card"),)),
    Entry(45, "23:00", "between", "monitoring", "Someone went through my recycling bin",
          "Home, side passage", "Bin lid open and bank letters gone through when I got up.",
          end="07:00", tags=("home",)),
    Entry(50, "19:40", "exact", "contact_email", "Long email demanding to 'sort things out'",
          "Email", "Email sent at 2am the night before, read at 19:40.", tags=("online",),
          files=(File("email", 3, content=("Daniel Hargreaves", "We need to sort things out",
                 "Sarah, you can block my number but you cannot block me out of your life. I "
                 "will be at the house on Saturday to collect my things whether you like it or "
                 "not. Don't make me come in.")),)),
    Entry(56, "18:00", "circa", "loitering", "Silver Astra parked opposite the house",
          "Elm Grove, opposite number 14", "Dan's car parked with him in it for about 40 "
          "minutes. Drove off when Priya came out.", "Kept the curtains closed all evening.",
          witnesses="Priya Shah", people=("dan", "priya"), vehicle=True,
          tags=("astra", "home"), files=(File("photo:car", 12, gps=HOME),)),
    Entry(61, "07:55", "exact", "loitering", "Astra outside again when I left for work",
          "Elm Grove", "Same car, engine running. He watched me walk to the bus stop.",
          vehicle=True, tags=("astra", "home")),
    Entry(64, "", "day", "contact_text", "WhatsApp messages all day, 23 in total",
          "WhatsApp", "Started at 06:58 and went on until after midnight.", "Exhausted.",
          tags=("texts",), files=(File("whatsapp", 14 * 60, content=[
              (True, "Good morning beautiful", "06:58"),
              (True, "I know you've read it", "07:05"),
              (True, "Two blue ticks Sarah", "09:12"),
              (True, "Why are you doing this to me", "12:30"),
              (False, "Stop. I don't want any contact.", "12:41"),
              (True, "You don't get to decide that", "12:42")]),)),
    Entry(67, "12:00", "between", "gifts_letters", "Parcel left on the doorstep with a note",
          "Home, front door", "Box of my old things from his flat, with a note 'For S x'. Left "
          "while I was at work.", end="17:30", tags=("home",),
          files=(File("photo:parcel", 340, caption="As I found it at 17:40"),)),
    Entry(70, "21:10", "exact", "threats", "Text: 'You'll regret making me look stupid'",
          "Home", "After I didn't reply about the parcel.", "Frightened; rang my sister.",
          impacts=(("fear_of_violence", "Afraid he would come round and hurt me.", None),),
          tags=("texts", "reported"), reported=True, files=(File("messages", 2, content=[
              (True, "Did you get the box", "20:58"),
              (True, "Ignore me then", "21:05"),
              (True, "You'll regret making me look stupid. Everyone will know what you are",
               "21:09")]),)),
    Entry(72, "14:00", "exact", "other", "Reported the harassment to the police (101)",
          "Phone call to 101", "Gave the officer the list so far. Crime reference given; PC "
          "Bennett is the officer in charge.", people=("dan", "officer"),
          tags=("reported",), reported=True,
          notes=(("Officer advised: keep everything, don't reply, ring 999 if he turns up.",
                  False),)),
    Entry(78, "13:00", "circa", "following", "His car in the gym car park while I was inside",
          "PureGym, Kirkstall Road", "Saw the Astra when I came out about 13:00; he drove off.",
          vehicle=True, tags=("astra",), amend={"location": "PureGym car park, Kirkstall Road"}),
    Entry(83, "18:20", "exact", "third_party", "His friend asked me to 'give him another chance'",
          "WhatsApp", "Lee, Dan's friend, messaged out of the blue.", tags=("texts",),
          files=(File("messages", 1, content=[
              (True, "Hi Sarah it's Lee. Dan's in a bad way", "18:12"),
              (True, "He just wants another chance, is that so much to ask", "18:15"),
              (False, "Please don't contact me about Dan.", "18:19")]),)),
    Entry(86, "10:00", "undated", "gifts_letters", "Letters from him found in my car's glovebox",
          "My car", "Found three letters when cleaning the car. I don't know when he put them "
          "there; he never had a key after we split.", "Worried he can get into the car.",
          tags=("car",)),
    Entry(91, "23:40", "exact", "contact_call", "Nine calls between 23:40 and 00:30",
          "Home", "Withheld numbers. Didn't answer.", "No sleep before work.",
          tags=("reported",), files=(File("calls", 52, content=[
              (WITHHELD, "00:31", "Missed call"), (WITHHELD, "00:22", "Missed call"),
              (WITHHELD, "00:09", "Missed call"), (WITHHELD, "23:58", "Missed call"),
              (WITHHELD, "23:41", "Missed call"), ("Emma", "21:02", "Outgoing")]),)),
    Entry(94, "01:00", "between", "property_damage", "Car keyed along the driver's side",
          "Outside home, Elm Grove", "A deep scratch the length of the car, there in the "
          "morning.", end="06:00", tags=("car", "home", "reported"), reported=True,
          files=(File("photo:scratch", 330, gps=HOME),)),
    Entry(96, "07:10", "exact", "loitering", "Astra at the end of my road, engine running",
          "Elm Grove / Otley Road", "Priya saw it too and took the registration.",
          witnesses="Priya Shah", people=("dan", "priya"), vehicle=True, tags=("astra",)),
    Entry(99, "", "day", "monitoring", "Found a tracking tag under the back bumper",
          "My car", "A garage found a small tracker taped under the bumper. Kept it in a tin.",
          "Feel he always knows where I am.", tags=("car", "reported"), reported=True,
          notes=(("Told PC Bennett; she will collect it.", False),),
          impacts=(("changed_routine", "Park inside the work car park; vary my route home.",
                    None), ("costs", "Garage check of the car for other trackers", 6500))),
    Entry(102, "20:05", "exact", "contact_social", "Comments about me on my sister's Facebook",
          "Facebook", "Public comments under Emma's photos calling me a liar.",
          people=("dan", "emma"), tags=("online", "sister")),
    Entry(105, "17:30", "circa", "following", "Followed me round Tesco",
          "Tesco Express, Headingley", "He stayed an aisle behind me and waited outside.",
          appearance=DAN_LOOKS, clothing=DAN_COAT, witnesses="Store security guard",
          tags=("shopping",)),
    Entry(108, "22:50", "exact", "threats", "Voicemail: 'I know where you are'",
          "Home", "A 20-second voicemail from a withheld number. His voice.", "Terrified.",
          impacts=(("fear_of_violence", "He knows where I am staying.", None),),
          voice="Calm, slow, then shouting", tags=("reported",), reported=True,
          files=(File("voicemail", 1),)),
    Entry(112, "22:00", "between", "property_damage", "Fence panel kicked in",
          "Home, back garden", "Priya heard banging at about 2am. Panel broken in the "
          "morning.", end="07:00", witnesses="Priya Shah", people=("dan", "priya"),
          impacts=(("costs", "New fence panel and a security light", 18500),),
          tags=("home", "reported"), reported=True, files=(File("photo:fence", 555, gps=HOME),),
          amend={"description": "Priya heard banging at about 2am and saw a tall man in a dark "
                 "coat leave by the side passage. Panel broken in the morning."}),
    Entry(115, "08:05", "exact", "loitering", "Standing at the bus stop opposite the house",
          "Elm Grove bus stop", "Did not get on any bus; left when I opened the door.",
          clothing=DAN_COAT, tags=("home",), files=(File("photo:figure", 2),)),
    Entry(118, "", "day", "contact_text", "Texts pretending to be a delivery company",
          "Text message", "Links asking me to 'confirm my address'. Police say likely him.",
          tags=("texts",), files=(File("messages", 600, content=[
              (True, "PARCEL-FORCE: your parcel is on hold. Confirm your new address at this "
                     "link", "10:02")]),)),
    Entry(121, "19:30", "exact", "following", "Car followed me home from work, flashing lights",
          "A660 Otley Road", "Behind me from Hyde Park Corner to home. Rang 999.",
          "Shaking; stayed at Emma's that night.", vehicle=True,
          tags=("astra", "reported"), reported=True),
    Entry(123, "21:15", "exact", "threats", "'I'll make sure nobody else has you'",
          "WhatsApp", "From a new number after I blocked the last one.", "Terrified.",
          tags=("texts", "reported"), reported=True, files=(File("whatsapp", 1, content=[
              (True, "You think the police scare me", "21:11"),
              (True, "I'll make sure nobody else has you", "21:14")]),)),
    Entry(125, "12:40", "exact", "other", "Statement given to PC Bennett",
          "Home", "Two-hour statement. She is applying for a stalking protection order.",
          people=("dan", "officer"), tags=("reported",), reported=True,
          notes=(("I was embarrassed about some of the texts from before we split. I told "
                  "her anyway.", True),)),
    Entry(127, "02:00", "circa", "loitering", "Banging on the front door at about 2am",
          "Home, front door", "Shouting my name through the letterbox.", "Hid upstairs.",
          impacts=(("health", "Cannot sleep; my GP prescribed sleeping tablets.", None),),
          voice="Shouting, slurred", witnesses="Priya Shah", people=("dan", "priya"),
          tags=("home", "reported"), reported=True),
    Entry(130, "", "day", "gifts_letters", "Letter pushed through the letterbox",
          "Home", "Handwritten, not posted.", tags=("home",),
          files=(File("photo:letter", 660, caption="The letter, unfolded"),)),
    Entry(132, "17:50", "exact", "following", "Waiting outside my work",
          "Park Row, Leeds", "Standing across the road when I came out. Security walked me "
          "to a taxi.", witnesses="Office security (Mark)", clothing=DAN_COAT,
          tags=("work",)),
    Entry(135, "23:05", "exact", "contact_call", "Calls every few minutes from withheld numbers",
          "Home", "Fourteen calls in an hour.", tags=("reported",),
          files=(File("calls", 60, content=[
              (WITHHELD, "00:04", "Missed call"), (WITHHELD, "23:58", "Missed call"),
              (WITHHELD, "23:51", "Missed call"), (WITHHELD, "23:40", "Missed call"),
              (WITHHELD, "23:22", "Missed call"), (WITHHELD, "23:05", "Missed call")]),)),
    Entry(138, "18:45", "exact", "violence", "Grabbed my arm in the car park",
          "Work car park, Park Row", "He grabbed my arm and would not let go until a colleague "
          "shouted. Bruise on my forearm.", "Off work for three days.",
          impacts=(("fear_of_violence", "I thought he was going to hit me.", None),
                   ("time_off", "Three days off work.", None)),
          appearance=DAN_LOOKS, clothing=DAN_COAT, voice="Angry, shouting",
          witnesses="Colleague (Tom)", tags=("work", "reported"), reported=True,
          notes=(("Photo of the bruise kept on my phone; not adding it here yet.", True),)),
    Entry(140, "", "day", "third_party", "His mother rang asking me to drop it",
          "Phone", "Said I was 'ruining his life' and should withdraw the complaint.",
          tags=("reported",)),
    Entry(143, "09:30", "exact", "monitoring", "Knew where I had been at the weekend",
          "WhatsApp", "He mentioned the hotel in York I stayed at.", "Checked the car again.",
          tags=("texts", "car"), files=(File("whatsapp", 1, content=[
              (True, "Nice weekend in York?", "09:26"),
              (True, "The Grand looked expensive", "09:28")]),)),
    Entry(146, "22:20", "exact", "threats", "Threats after the police warning",
          "Text message", "Two days after the police spoke to him.", "Scared to be alone.",
          tags=("texts", "reported"), reported=True, files=(File("messages", 1, content=[
              (True, "Your little complaint won't stop me", "22:14"),
              (True, "Watch your back", "22:19")]),)),
    Entry(148, "20:00", "between", "loitering", "Astra seen three times on my road tonight",
          "Elm Grove", "Drove past slowly at about 20:00, 21:40 and 23:15.",
          end="23:30", vehicle=True, tags=("astra", "home"),
          files=(File("photo:car", 95, caption="Second pass, 21:35"),
                 File("forwarded", 100, caption="Priya's photo, sent on WhatsApp"))),
]

# Effects on the whole case, ticked in case settings: (day, kind, words, pence or None).
CASE_IMPACTS = [
    (75, "alarm_distress", "I check the street before I leave, no longer walk to work and "
     "avoid the places we used to go.", None),
    (100, "stopped_going_out", "Stopped going to the gym and out with friends in the evening.",
     None),
    (116, "moved_home", "Stayed with my sister for two weeks after he stood outside the house.",
     None),
    (120, "costs", "Video doorbell and window locks", 24000),
]

# Imported but not yet sorted into incidents (they sit in the inbox).
TRASHED_ON_DAY = 56  # a blurry second photo of the car, taken and then put in the trash
FIRST_REPORT_DAY = 72  # the crime reference exists from this day on
INBOX = [
    File("instagram", 0, content=[(True, "d.h_official wants to follow you", "18:02")]),
    File("photo:car", 40, gps=WORK),
    File("voicemail", 90),
]
