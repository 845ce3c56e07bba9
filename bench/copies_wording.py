"""The text the copies' outlets bring (bench/copies.py): their hosts, names and dateline
cities, the synonyms a reworded sentence takes, paragraphs of new text and newsletter lines."""

# host, outlet, dateline city
OUTLETS = [
    ("wire-a.example", "Wire A", "LONDON"),
    ("wire-b.example", "Wire B", "NEW YORK"),
    ("dailyherald.example", "Daily Herald", "CHICAGO"),
    ("metro-times.example", "Metro Times", "DETROIT"),
    ("coastpost.example", "Coast Post", "SAN DIEGO"),
    ("capital-ledger.example", "Capital Ledger", "WASHINGTON"),
    ("northern-star.example", "Northern Star", "TORONTO"),
    ("globalwire.example", "Global Wire", "PARIS"),
]
SYNONYMS = {
    "said": "stated",
    "announced": "unveiled",
    "began": "started",
    "big": "large",
    "people": "residents",
    "help": "assist",
    "after": "following",
    "many": "numerous",
    "also": "additionally",
    "because": "since",
    "before": "prior to",
    "show": "demonstrate",
    "shows": "demonstrates",
    "buy": "purchase",
    "major": "significant",
    "killed": "slain",
    "home": "house",
    "children": "kids",
    "country": "nation",
    "biggest": "largest",
    "start": "begin",
    "government": "administration",
    "officials": "authorities",
    "told": "informed",
    "added": "noted",
    "including": "among them",
    "however": "though",
    "several": "a number of",
    "last": "previous",
    "get": "obtain",
    "need": "require",
    "try": "attempt",
    "use": "employ",
    "used": "employed",
    "made": "produced",
    "think": "believe",
    "want": "wish",
    "says": "states",
    "reported": "disclosed",
    "found": "discovered",
    "area": "region",
    "car": "vehicle",
    "job": "position",
    "asked": "requested",
    "quickly": "rapidly",
    "often": "frequently",
    "nearly": "almost",
    "more than": "over",
    "around": "about",
    "week": "seven days",
    "month": "four weeks",
}
# new text for added paragraphs: written here, from no article of the split
ADDED = [
    "Local leaders said they expected to share further details in the coming days, and a public"
    " meeting has been planned for residents who want to ask questions in person.",
    "The situation remained fluid late in the evening, with several agencies coordinating their"
    " response from a temporary command post set up near the scene.",
    "Analysts cautioned that early figures are often revised as more complete information becomes"
    " available, sometimes by a wide margin.",
    "It was not immediately clear how the decision would affect people who had already made plans,"
    " or whether refunds would be offered to those affected.",
    "Neighbours described a tight-knit community where news travels fast, and several said they had"
    " been following developments closely on social media.",
    "A spokesperson declined to comment on the timeline, saying only that the matter was under review"
    " and that an update would follow when appropriate.",
    "Historians note that similar episodes have occurred before, though rarely on this scale or with"
    " this much public attention.",
    "Critics argue the move comes too late to make a meaningful difference, while supporters say it"
    " is a necessary first step toward a broader solution.",
    "The announcement drew a mixed reaction online, where some users praised the decision and others"
    " questioned the reasoning behind it.",
    "Experts interviewed for this story said the long-term consequences would depend largely on"
    " choices yet to be made by regulators and lawmakers.",
    "Markets were little changed following the news, as traders waited for more clarity on what the"
    " development would mean for the wider economy.",
    "Community groups have organised volunteers to help those most affected, collecting donations of"
    " food, clothing and household supplies at a nearby school.",
    "Our reporters contacted a number of those involved; most did not respond before publication,"
    " and one asked not to be named because of the sensitivity of the issue.",
    "Weather forecasters expect conditions to improve slowly over the weekend, which could ease some"
    " of the pressure on emergency crews working in the region.",
    "The figures are broadly in line with those published by independent researchers earlier this"
    " year, who warned that the trend was likely to continue.",
    "Some residents said they were frustrated by the lack of clear guidance, pointing to conflicting"
    " messages from different branches of government.",
    "Legal observers expect the case to take months to resolve, with appeals likely regardless of"
    " how the first ruling comes down.",
    "Travel disruptions are possible for anyone heading through the area, and commuters have been"
    " advised to check for updates before setting out.",
    "The company's shares have swung sharply in recent sessions as investors weigh the impact of"
    " rising costs against strong demand from customers.",
    "Organisers insisted the event would go ahead as planned, though they acknowledged that numbers"
    " might be smaller than in previous years.",
    "Teachers and parents have raised concerns about what the change means for students, many of"
    " whom are still catching up after years of disruption.",
    "Health workers urged anyone with symptoms to seek advice early rather than wait, noting that"
    " clinics had extended their opening hours this month.",
    "The proposal still needs approval from a committee that has rejected similar plans twice"
    " before, so its fate remains uncertain.",
    "Fans gathered outside the venue hours before the doors opened, many wearing shirts and scarves"
    " bearing the colours of their favourite side.",
    "Satellite images reviewed by independent experts appear to show significant changes at the site"
    " over the past several weeks.",
    "Environmental campaigners welcomed the step but said far more ambitious targets would be needed"
    " to meet the commitments made at international summits.",
    "Police have appealed for witnesses and asked anyone with camera footage from the street that"
    " afternoon to get in touch with investigators.",
    "Prices at the pump have eased slightly from their peak, but household budgets remain stretched"
    " by the cost of food, rent and energy.",
]
NEWSLETTER = ["Sign up for our newsletter", "Subscribe to our newsletter for the day's top stories"]
