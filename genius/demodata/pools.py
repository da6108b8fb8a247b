"""Word pools and Markdown templates the scaled demo data is drawn from.

Kept small on purpose: texts repeat, so each distinct Markdown source is
rendered once and its HTML reused.
"""

from __future__ import annotations

FIRST_NAMES = """Amelia Oliver Isla George Ava Noah Mia Arthur Ivy Muhammad Freya Leo Lily Harry Florence Oscar
Willow Archie Rosie Jack Sophia Henry Evie Charlie Poppy Freddie Daisy Theodore Grace Thomas Aisha Finley Elsie Alfie
Sienna Jacob Ella Isaac Emily Teddy Alice Joshua Matilda Alexander Bella Edward Millie Lucas Harper Reuben Phoebe
Priya Tomasz Ewa Kwame Niamh Callum Siobhan Rhys Megan Dylan Eilidh Hamish Zara Imran Fatima Yusuf Chloe Samuel
Hannah Joseph Ruby Daniel Lucy Benjamin Maya Adam Nadia Owen Layla Toby Aria Ellis Erin Jude Holly Ezra Martha Rory
Agnes Stanley Iris Albert Maud Frank""".split()

LAST_NAMES = """Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker
White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper Hill Ward Hughes Moore
Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis Parker James Bennett Young Phillips
Richardson Mitchell Bailey Carter Cook Singh Shaw Bell Collins Morgan Kelly Begum Miller Cox Marshall Simpson
Anderson Ellis Adams Wilkinson Ward Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell
Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murphy Dixon
Richards Hudson Atkinson Fletcher""".split()

TEAMS = [
    "Transport team", "Housing team", "Waste and recycling", "Parks and open spaces", "Libraries and archives",
    "Adult social care", "Children's services", "Public health", "Planning", "Climate change team",
    "Customer services", "Digital services", "Fleet management", "Economic development", "Culture and events",
]

GROUPS = [
    "Clifton Community Garden", "Acomb Residents' Association", "York Cycle Campaign", "Friends of Rowntree Park",
    "Holgate Allotment Society", "Heworth Youth Club", "Tang Hall Big Local", "Fishergate Parents' Forum",
    "York Disability Rights Forum", "Bishopthorpe Village Hall",
]

BIOS = [
    "Lives locally and cycles most days.", "Parent of two at a primary school in the city.",
    "Retired teacher, volunteers at the library.", "Runs a small café near the centre.",
    "Student at the university.", "Keen gardener and compost evangelist.", "Works from home; walks the dog twice a day.",
    "Volunteer with a local food bank.", "Grew up here, moved back last year.", "",
]

# Topics: (tag, challenge questions, idea solutions (title, summary))
TOPICS: list[tuple[str, list[str], list[tuple[str, str]]]] = [
    ("transport", [
        "How might we make it easier to cycle to school?", "How could buses serve the outer villages better?",
        "How might we cut congestion at the inner ring road?", "How can we make walking to the station safer?",
    ], [
        ("Bike racks at every primary school", "Covered, secure racks so bikes are not left in the rain."),
        ("School streets on weekday mornings", "Close the road outside schools to cars at drop-off and pick-up."),
        ("A bike bus led by parent volunteers", "A group ride that picks children up along a set route."),
        ("Demand-responsive minibuses", "Book a minibus from the villages with an app or a phone call."),
        ("Real-time bus screens at busy stops", "Show when the next bus really comes, not the timetable."),
        ("Wider pavements on the station approach", "Give walkers the space the railings take now."),
        ("A cargo-bike library", "Borrow a cargo bike for a week before deciding to buy one."),
    ]),
    ("environment", [
        "How can we cut food waste from council events?", "How might we plant more trees in the city?",
        "How could we help households recycle more?", "How might we cool the city in a heatwave?",
    ], [
        ("Give leftovers to the food bank", "Arrange a same-day collection by the local food bank."),
        ("Order by sign-up, not by guess", "Ask attendees to confirm, and cater to the confirmed number."),
        ("A tree for every newborn", "Plant a tree in the ward for every child born there."),
        ("Street compost bins", "Shared food-waste bins for terraces without gardens."),
        ("Repair cafés in every ward", "Volunteers fix bikes, toasters and clothes, free."),
        ("Water refill stations in the centre", "Free refills so nobody needs to buy bottled water."),
        ("Shade sails over play areas", "Simple sails that keep children out of the midday sun."),
    ]),
    ("community", [
        "What should the Clifton community hub offer?", "How might we reduce loneliness among older residents?",
        "How can we help new residents feel welcome?", "How could we make better use of empty shops?",
    ], [
        ("A seed library", "Borrow seeds in spring, return some from your harvest."),
        ("A befriending phone line", "Volunteers call older residents for a chat every week."),
        ("Welcome walks for new residents", "A monthly walk that shows new neighbours the ward."),
        ("Pop-up shops for local makers", "Short, cheap leases on empty units for makers and artists."),
        ("A tool library", "Borrow a drill or a ladder instead of buying one."),
        ("Community fridges", "A fridge where anyone can leave or take food, kept clean by volunteers."),
        ("Intergenerational lunch clubs", "Pupils and older residents share a lunch once a month."),
    ]),
    ("health", [
        "How might we get more people active every day?", "How could we improve mental health support for young people?",
    ], [
        ("Free park fitness sessions", "Weekly outdoor sessions in each large park, for every ability."),
        ("Walking groups from GP surgeries", "Doctors prescribe a weekly walk with a friendly group."),
        ("Drop-in wellbeing spaces", "A quiet room in each library with someone to talk to."),
        ("Outdoor table tennis", "Concrete tables in parks, with bats to borrow from a café."),
    ]),
    ("housing", [
        "How might we make homes warmer and cheaper to heat?", "How could we bring empty homes back into use?",
    ], [
        ("A street-by-street insulation scheme", "Insulate whole streets at once to cut the cost per home."),
        ("Thermal imaging loans", "Lend a camera so people can see where their home loses heat."),
        ("Empty homes matchmaking", "Match owners of empty homes with people who can renovate them."),
        ("Heat pump open days", "Residents with heat pumps show neighbours how they work."),
    ]),
    ("digital", [
        "How might staff share vans across departments?", "How could we make council forms quicker to fill in?",
        "How might we help residents get online?",
    ], [
        ("A shared booking calendar for vans", "One calendar across departments, with keys in a locker."),
        ("Tell us once", "Enter your details once and let every service use them."),
        ("Digital champions in libraries", "Volunteers help people set up email and video calls."),
        ("Plain English forms", "Rewrite the ten most used forms with residents, then test them."),
        ("Recycled laptops for families", "Refurbish old council laptops for families without one."),
    ]),
    ("culture", [
        "How might we bring more people to the city's museums?", "How could we make the festivals greener?",
    ], [
        ("Free museum Sundays for residents", "Show a library card, get in free on the first Sunday."),
        ("Reusable cups at every festival", "A deposit scheme for cups at all council-run festivals."),
        ("Street art on blank walls", "Local artists paint walls chosen with the residents nearby."),
        ("Late-night library openings", "Open one library until ten with music and talks."),
    ]),
]

TOPIC_TAGS = {
    "transport": ["transport", "schools", "cycling", "buses", "walking", "roads"],
    "environment": ["environment", "waste", "trees", "climate", "recycling", "events"],
    "community": ["community", "buildings", "volunteering", "older people", "shops"],
    "health": ["health", "sport", "mental health", "young people"],
    "housing": ["housing", "energy", "heating", "empty homes"],
    "digital": ["digital", "internal", "fleet", "forms", "skills"],
    "culture": ["culture", "museums", "festivals", "arts", "libraries"],
}

QUALIFIERS = ["", "", "", " in every ward", " near schools", " in the city centre", " for families",
              " on a trial basis", " run by volunteers", " for older residents", " in the villages", " all year"]

CHALLENGE_BACKGROUNDS = [
    "We want ideas from everyone who lives or works in the district.\n\n"
    "**What we know:**\n\n- the problem costs the council money every year\n- residents raised it at ward meetings\n"
    "- other councils have tried things that worked\n\nTell us what you would do, and support the ideas you like.",
    "This challenge comes from the {team}.\n\nWe have a small budget for a **pilot** and want the ideas most "
    "likely to make a difference. Good ideas are simple, cheap to try and easy to measure.",
    "## Why this matters\n\nResidents tell us this is one of the things they most want fixed.\n\n"
    "## What happens next\n\nThe champion reads every idea and answers the most supported ones.",
    "Last year we ran a survey: *more than half* of the people who answered want this to change.\n\n"
    "1. Post an idea\n2. Support the ones you like\n3. Comment to make them better",
]

NEXT_STEPS = [
    "A selection panel picks up to three ideas for a workshop, then a pilot.",
    "The champion shortlists ideas at the end of the month and publishes the reasons.",
    "The most supported ideas go to the executive member for a decision.",
]

OUTCOMES = [
    "The panel chose **{idea}** for a six-month pilot, starting next spring.",
    "We will fund **{idea}** and report back on it in a year. Thank you to everyone who took part.",
    "After a workshop with residents, **{idea}** goes ahead in three wards first.",
]

IDEA_DESCRIPTIONS = [
    "{summary}\n\nThis would help families across the district.",
    "{summary}\n\n**Why:** it is cheap to try and easy to measure.\n\n**How:**\n\n- start in one ward\n"
    "- ask residents after three months\n- roll it out if it works",
    "## The idea\n\n{summary}\n\n## Who it helps\n\nEveryone, but most of all people without a car.",
    "{summary}\n\nI have seen this work in Leeds and in Bristol. It needs a few volunteers and a small budget.",
    "{summary}\n\n> It does not need to be perfect to be better than what we have now.\n\nHappy to help set it up.",
    "{summary}\n\nCosts:\n\n1. equipment, once\n2. a part-time coordinator\n3. publicity in the council magazine",
    "{summary}\n\nMy neighbours and I talked about this at the last residents' meeting and *everyone* agreed.",
    "{summary}",
]

RESPONSES = {
    "under_consideration": [
        "Thank you. We are looking at what this would cost and will update this page within a month.",
        "A good idea: the team is checking whether it fits with the work already planned.",
        "We are talking to colleagues in other councils who have tried something similar.",
    ],
    "shortlisted": [
        "Shortlisted: this goes to the selection panel with the other most promising ideas.",
        "Shortlisted. The panel meets at the end of the month and will post its decision here.",
    ],
    "selected": [
        "Selected. We will work with the author on a **pilot** over the next few months.",
        "Selected by the panel: it is simple, cheap and many people supported it.",
    ],
    "in_progress": [
        "The pilot has started in two wards. We will report back on how it goes.",
        "Work has begun: the first part of the pilot runs until the end of the year.",
    ],
    "implemented": [
        "Done. Thank you to everyone who supported this idea and helped make it happen.",
        "Implemented across the district after a successful pilot.",
    ],
    "not_taken_forward": [
        "Thank you. We cannot take this forward now: the cost is too high for the budget we have.",
        "Not taken forward: another service already covers most of this. See the comments for details.",
        "We looked at this carefully but it would need a change in the law. We have passed it on to our MP.",
    ],
}

COMMENTS = [
    "Great idea, I would use this every week.",
    "How much would this cost? It would help to know before supporting it.",
    "We tried something like this in our street and it worked well.",
    "I like it, but what about people who cannot get there?",
    "This is **exactly** what our ward needs.",
    "Could this start as a small trial first?",
    "I'm not sure about this. It sounds expensive to run for a long time.",
    "Happy to volunteer if this goes ahead.",
    "There is a similar scheme in Harrogate: worth looking at how they did it.",
    "Please think about wheelchair users when designing this.",
    "Agree with the comment above.",
    "My children would love this.",
    "Where would the money come from?",
    "Yes! And it could be combined with the library's events.",
    "Good point. I hadn't thought of that.",
    "I support this, with one change: make it free for under-18s.",
    "Would this work in the villages too, or only in the city?",
    "Thanks for posting this, I've shared it with our residents' association.",
    "A few ideas to make it better:\n\n- ask the schools first\n- start in spring\n- publish the results",
    "Is there any data on how many people would use it?",
]

OFFICIAL_COMMENTS = [
    "Thanks for the question. We will publish the costs when the shortlist is decided.",
    "The team has read every comment here; we will answer the common questions in an update.",
    "Good point: we will include accessibility in the assessment of every shortlisted idea.",
    "We are talking to the schools about this now.",
    "This fits well with the plan for next year. We will say more soon.",
]

CHALLENGE_QUESTIONS = [
    "Does the challenge include the villages, or only the city?",
    "Is there a budget for the winning idea?",
    "Can businesses post ideas too, or only residents?",
    "When will you announce which ideas go forward?",
    "Can I post more than one idea?",
]
