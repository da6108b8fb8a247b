"""Plan every row in memory from one seeded generator, ids included, before anything is inserted.

Counters, status trails, response times and search documents are computed
from the same plan as the rows they describe, so they agree with them.
Supports are the exception in size: only their counts are planned here, and
`iter_supports` makes the rows while they are inserted.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from datetime import datetime, timedelta
from random import Random

from genius.demodata import pools
from genius.demodata.people import People
# The indexer's own text joiner, so generated documents read exactly like indexed ones.
from genius.search.services import document_body as search_body

from genius.demodata.shapes import (
    DAY,
    FIRST_AUDIENCES,
    HOUR,
    IDEA_STATUS_MIX,
    MINUTE,
    PATHS,
    PHASE_WEIGHTS,
    PHASES,
    TAKES_IDEAS,
    Markdown,
    _ChallengePlan,
    _IdeaPlan,
)


class Planner:
    def __init__(self, rng: Random, anchor: datetime, areas: list[str], people: People, next_ids: dict[str, int]):
        self.rng, self.anchor, self.areas, self.people = rng, anchor, areas, people
        self.ids = dict(next_ids)  # table -> next free id
        self.markdown = Markdown()
        self.rows: dict[str, list[dict]] = {}
        self.challenge_plans: dict[int, _ChallengePlan] = {}
        self.idea_plans: dict[int, _IdeaPlan] = {}

    def _id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def _challenge(self, challenge_id: int) -> dict:
        rows = self.rows["challenges"]
        return rows[challenge_id - rows[0]["id"]]  # ids are consecutive

    # Challenges ----------------------------------------------------------------------------------
    def challenges(self, count: int) -> None:
        rng, anchor, people = self.rng, self.anchor, self.people
        rows, tag_rows, trail_rows = [], [], []
        for index in range(count):
            phase = PHASES[index] if index < len(PHASES) else rng.choices(PHASES, PHASE_WEIGHTS)[0]
            audience = (FIRST_AUDIENCES[index] if index < len(FIRST_AUDIENCES)
                        else rng.choices(("public", "staff", "staff_first"), (80, 10, 10))[0])
            topic_index = rng.randrange(len(pools.TOPICS))
            topic, questions, _ = pools.TOPICS[topic_index]
            question = rng.choice(questions)
            title = question if rng.random() < 0.3 else f"{question[:-1]} in {rng.choice(self.areas)}?"
            opens, closes = self._dates(phase)
            created = min(opens - rng.randint(3, 20) * DAY, anchor - DAY)
            champion = people.staff(rng, created)
            team = people.organisation.get(champion, "")
            creator = rng.choice(people.admin_ids)
            background = rng.choice(pools.CHALLENGE_BACKGROUNDS).format(team=team or "council")
            next_steps = rng.choice(pools.NEXT_STEPS)
            challenge_id = self._id("challenges")
            names = [topic] + rng.sample([t for t in pools.TOPIC_TAGS[topic] if t != topic], rng.randint(1, 3))
            plan = _ChallengePlan(phase, topic_index, opens, closes, audience, champion, self._trail(phase, created, opens, closes),
                                  opens + 14 * DAY if audience == "staff_first" else None)
            for name in sorted(names):
                tag_id = self._id("challenge_tags")
                tag_rows.append({"id": tag_id, "challenge_id": challenge_id, "name": name})
                plan.tags.append((tag_id, name))
            for before, after, moment in plan.trail:
                trail_rows.append({"id": self._id("challenge_status_changes"), "challenge_id": challenge_id,
                                   "from_status": before, "to_status": after, "changed_by_id": creator,
                                   "created_at": moment})
            self.challenge_plans[challenge_id] = plan
            prize_note = "A budget of £2,000 for a pilot." if rng.random() < 0.3 else ""
            support_limit = rng.choice((None, None, None, None, 3, 5))
            if index == 0:
                # The first challenge, open to everyone at every scale, always has a limit: the demo shows
                # the "supports left" panel, and the benchmark measures supporting with a limit at each scale.
                support_limit = support_limit or 5
            rows.append({
                "id": challenge_id, "title": title[:120],
                "summary": f"Share ideas on {topic} for the {team or 'council'}, and support the ones you like."[:200],
                "background_source": background, "background_html": self.markdown(background),
                "champion_id": champion, "owner_team": team, "opens_at": opens, "closes_at": closes,
                "next_steps_source": next_steps, "next_steps_html": self.markdown(next_steps),
                "prize_note": prize_note,
                "outcome_source": "", "outcome_html": "",
                "status": {"opening_soon": "open", "closed": "open"}.get(phase, phase), "audience": audience,
                "public_from": plan.public_from, "created_by_id": creator,
                "ideas_count": 0, "median_response_days": None, "responded_count": 0,
                "support_limit": support_limit, "comments_count": 0,
                "created_at": created, "updated_at": plan.trail[-1][2],
            })
        self.rows["challenges"], self.rows["challenge_tags"] = rows, tag_rows
        self.rows["challenge_status_changes"] = trail_rows

    def _dates(self, phase: str) -> tuple[datetime, datetime]:
        rng, anchor = self.rng, self.anchor
        if phase == "open":
            opens, closes = anchor - rng.randint(5, 60) * DAY, anchor + rng.randint(10, 60) * DAY
        elif phase in ("opening_soon", "draft"):
            opens = anchor + rng.randint(3, 40) * DAY
            closes = opens + rng.randint(30, 90) * DAY
        elif phase == "closed":
            opens, closes = anchor - rng.randint(70, 120) * DAY, anchor - rng.randint(1, 9) * DAY
        elif phase == "reviewing":
            opens, closes = anchor - rng.randint(90, 200) * DAY, anchor - rng.randint(10, 60) * DAY
        else:  # decided, archived
            opens = anchor - (rng.randint(200, 400) if phase == "decided" else rng.randint(420, 700)) * DAY
            closes = opens + rng.randint(45, 90) * DAY
        # Like the service: from the start of one day to the end of another (UK time, roughly).
        return opens - HOUR, closes + timedelta(hours=22, minutes=59, seconds=59)

    def _trail(self, phase: str, created: datetime, opens: datetime, closes: datetime) -> list:
        """Created as a draft, then each move staff made by hand."""
        trail: list[tuple[str | None, str, datetime]] = [(None, "draft", created)]
        if phase != "draft":
            trail.append(("draft", "open", min(created + DAY, opens)))
        if phase in ("reviewing", "decided", "archived"):
            trail.append(("open", "reviewing", closes + DAY))
        if phase in ("decided", "archived"):
            trail.append(("reviewing", "decided", closes + self.rng.randint(14, 40) * DAY))
        if phase == "archived":
            trail.append(("decided", "archived", trail[-1][2] + self.rng.randint(60, 200) * DAY))
        return trail

    # Ideas -----------------------------------------------------------------------------------------
    def ideas(self, count: int) -> None:
        """Spread over the challenges that took ideas, a few of them drawing most; ids in posting order."""
        rng, anchor = self.rng, self.anchor
        takers = [c for c in self.rows["challenges"] if self.challenge_plans[c["id"]].phase in TAKES_IDEAS]
        ranks = list(range(len(takers)))
        rng.shuffle(ranks)
        picks = rng.choices(takers, [1 / (r + 1) ** 0.8 for r in ranks], k=count) if takers else []
        posted = []
        for challenge in picks:
            plan = self.challenge_plans[challenge["id"]]
            start, end = plan.opens + HOUR, min(plan.closes, anchor - 2 * HOUR)
            posted.append((start + (end - start) * rng.random(), challenge["id"]))
        posted.sort()
        rows, tag_rows, response_rows = [], [], []
        for created, challenge_id in posted:
            challenge, plan = self._challenge(challenge_id), self.challenge_plans[challenge_id]
            idea_id = self._id("ideas")
            staff_only = plan.audience == "staff" or bool(plan.public_from and created < plan.public_from)
            author = self.people.staff(rng, created) if staff_only else self.people.anyone(rng, created)
            topic = pools.TOPICS[plan.topic if rng.random() < 0.85 else rng.randrange(len(pools.TOPICS))]
            solution, summary = rng.choice(topic[2])
            description = rng.choice(pools.IDEA_DESCRIPTIONS).format(summary=summary)
            values, weights = zip(*IDEA_STATUS_MIX[plan.phase])
            final = rng.choices(values, weights)[0]
            withdrawn = edited = None
            if final == "submitted" and rng.random() < 0.03:
                withdrawn = created + (anchor - created) * rng.random() * 0.5
            if rng.random() < 0.1:
                edited = min(created + timedelta(minutes=rng.randint(5, 4000)), anchor - HOUR)
                edited = edited if edited > created else None
            moment, first_response, previous = created, None, "submitted"
            for status in PATHS[final]:
                # Each official response some days after the last, always before now.
                moment += min(timedelta(days=rng.expovariate(1 / 12)) + HOUR, (anchor - HOUR - moment) / 2)
                first_response = first_response or moment
                message = rng.choice(pools.RESPONSES[status])
                response_rows.append({
                    "id": self._id("idea_status_changes"), "idea_id": idea_id, "from_status": previous,
                    "to_status": status, "message_source": message, "message_html": self.markdown(message),
                    "changed_by_id": plan.champion, "created_at": moment,
                })
                previous = status
            tags = sorted(rng.sample(plan.tags, min(len(plan.tags), rng.randint(1, 2))))
            tag_rows.extend({"idea_id": idea_id, "tag_id": tag_id} for tag_id, _name in tags)
            self.idea_plans[idea_id] = _IdeaPlan(staff_only, sorted(name for _id, name in tags),
                                                 rng.lognormvariate(0, 1.2) * (0.1 if withdrawn else 1.0))
            last = max(moment, edited or created)
            rows.append({
                "id": idea_id, "challenge_id": challenge_id, "author_id": author,
                "title": f"{solution}{rng.choice(pools.QUALIFIERS)}"[:120], "summary": summary[:300],
                "description_source": description, "description_html": self.markdown(description),
                "area": rng.choice(self.areas) if rng.random() < 0.8 else None,
                "anonymous": rng.random() < 0.05, "status": final, "withdrawn_at": withdrawn, "edited_at": edited,
                "first_response_at": first_response, "last_activity_at": last,
                "supports_count": 0, "comments_count": 0, "created_at": created, "updated_at": last,
            })
            challenge["ideas_count"] += 1
        self.rows["ideas"], self.rows["idea_tags"], self.rows["idea_status_changes"] = rows, tag_rows, response_rows
        self._response_times_and_outcomes()

    def _response_times_and_outcomes(self) -> None:
        """Each challenge's median days to a first response, as the idea services store it; and outcomes."""
        by_challenge: dict[int, list[dict]] = {}
        for idea in self.rows["ideas"]:
            by_challenge.setdefault(idea["challenge_id"], []).append(idea)
        for challenge in self.rows["challenges"]:
            own = by_challenge.get(challenge["id"], [])
            days = [(i["first_response_at"] - i["created_at"]).total_seconds() / 86400
                    for i in own if i["first_response_at"]]
            challenge["median_response_days"] = round(statistics.median(days), 1) if days else None
            challenge["responded_count"] = len(days)
            if self.challenge_plans[challenge["id"]].phase in ("decided", "archived"):
                chosen = [i for i in own if i["status"] in ("selected", "in_progress", "implemented")] or own
                outcome = self.rng.choice(pools.OUTCOMES).format(idea=chosen[0]["title"] if chosen else "a workshop idea")
                challenge["outcome_source"], challenge["outcome_html"] = outcome, self.markdown(outcome)

    # Supports ----------------------------------------------------------------------------------------
    def support_counts(self, total: int) -> None:
        """Shares of the total by a skewed popularity; an idea cannot have more supporters than the
        people who could support it, so what popular ideas cannot take goes to the others."""
        room: dict[int, int] = {}
        for idea in self.rows["ideas"]:
            plan, challenge = self.idea_plans[idea["id"]], self.challenge_plans[idea["challenge_id"]]
            until = min(self.anchor - MINUTE, challenge.closes, idea["withdrawn_at"] or self.anchor)
            plan.supports_until = max(until, idea["created_at"] + 30 * MINUTE)
            room[idea["id"]] = (self.people.staff_joined_by(plan.supports_until) if plan.staff_only
                                else self.people.joined_by(plan.supports_until))
        left, open_ideas = total, list(self.rows["ideas"])
        for _round in range(20):
            weight = sum(self.idea_plans[i["id"]].popularity for i in open_ideas)
            if left <= 0 or not open_ideas or not weight:
                break
            still_open, given = [], 0
            for idea in open_ideas:
                share = int(left * self.idea_plans[idea["id"]].popularity / weight)
                take = min(share, room[idea["id"]] - idea["supports_count"])
                idea["supports_count"] += take
                given += take
                if idea["supports_count"] < room[idea["id"]]:
                    still_open.append(idea)
            left, open_ideas = left - given, still_open
            if not given:
                break

    def iter_supports(self, first_id: int) -> Iterator[dict]:
        """The support rows, made as they are inserted (3 million dicts at x10 would not fit in memory)."""
        rng, people, support_id = self.rng, self.people, first_id
        for idea in self.rows["ideas"]:
            if not idea["supports_count"]:
                continue
            plan = self.idea_plans[idea["id"]]
            start, end = idea["created_at"], plan.supports_until
            for person in people.sample(rng, end, idea["supports_count"], plan.staff_only):
                # Most support comes soon after posting, the rest trickles in (so 'trending' has recent rows).
                moment = start + (end - start) * (rng.random() ** 2 if rng.random() < 0.5 else rng.random())
                joined = people.joined_at(person)
                if moment <= joined:
                    moment = joined + (end - joined) * rng.random() if end > joined else end
                yield {"id": support_id, "idea_id": idea["id"], "user_id": person, "created_at": moment}
                support_id += 1

    # Comments ------------------------------------------------------------------------------------------
    def comments(self, total: int) -> None:
        """On ideas (most, more on popular ones) and on challenges (questions to the champion), 0..2 deep."""
        rng = self.rng
        targets: list[tuple[dict, dict | None, float]] = [
            (self._challenge(idea["challenge_id"]), idea, (idea["supports_count"] + 2) ** 0.7 * rng.lognormvariate(0, 0.8))
            for idea in self.rows["ideas"]
        ]
        on_ideas = sum(weight for *_, weight in targets) or 1.0
        takers = [c for c in self.rows["challenges"] if self.challenge_plans[c["id"]].phase in TAKES_IDEAS]
        for challenge in takers:
            # About a tenth of all comments are on challenges themselves.
            targets.append((challenge, None, on_ideas / 9 / len(takers) * rng.lognormvariate(0, 0.5)))
        weight_total = sum(weight for *_, weight in targets) or 1.0
        specs: list[dict] = []
        for challenge, idea, weight in targets:
            wanted = int(round(total * weight / weight_total))
            if wanted:
                specs.extend(self._thread(challenge, idea, wanted))
        # Ids in time order, so a reply always comes after (and has a larger id than) its parent.
        specs.sort(key=lambda c: c["created_at"])
        for spec in specs:
            spec["id"] = self._id("comments")
        for spec in specs:
            parent = spec.pop("parent")
            spec["parent_id"] = parent["id"] if parent else None
            spec["root_id"] = (parent["root_id"] or parent["id"]) if parent else None
        self.rows["comments"] = specs

    def _thread(self, challenge: dict, idea: dict | None, wanted: int) -> list[dict]:
        rng, people, plan = self.rng, self.people, self.challenge_plans[challenge["id"]]
        start = (idea or challenge)["created_at"] + 10 * MINUTE
        if idea is None:
            start = max(start, plan.opens)
        end = self.anchor - MINUTE
        if plan.phase == "archived":
            end = plan.trail[-1][2]
        if idea is not None and idea["withdrawn_at"]:
            end = idea["withdrawn_at"]
        if end <= start:
            return []
        staff_only = plan.audience == "staff" or (idea is not None and self.idea_plans[idea["id"]].staff_only)
        made: list[dict] = []
        for moment in sorted(start + (end - start) * rng.random() for _ in range(wanted)):
            replyable = [c for c in made[-30:] if c["depth"] < 2]
            parent = None
            if replyable and rng.random() < 0.45:
                parent = replyable[-1 - int(rng.random() ** 2 * len(replyable))]  # mostly recent ones
            if rng.random() < 0.07:
                author = plan.champion
            else:
                author = people.staff(rng, moment) if staff_only else people.anyone(rng, moment)
            official = people.is_staff(author)  # staff answers are official, as the comment service marks them
            if official:
                body = rng.choice(pools.OFFICIAL_COMMENTS)
            elif idea is None and parent is None:
                body = rng.choice(pools.CHALLENGE_QUESTIONS)
            else:
                body = rng.choice(pools.COMMENTS)
            deleted = moment + HOUR if rng.random() < 0.01 else None
            edited = moment + timedelta(minutes=rng.randint(1, 10)) if rng.random() < 0.03 else None
            made.append({
                "challenge_id": challenge["id"], "idea_id": idea["id"] if idea else None, "parent": parent,
                "depth": parent["depth"] + 1 if parent else 0, "author_id": author,
                # Deleting keeps the row as a placeholder and drops the text, as the comment service does.
                "body_source": "" if deleted else body, "body_html": "" if deleted else self.markdown(body),
                "is_official": official, "created_at": moment, "edited_at": edited, "deleted_at": deleted,
                "updated_at": deleted or edited or moment,
            })
            if not deleted:
                (idea or challenge)["comments_count"] += 1
            if idea is not None:
                idea["last_activity_at"] = max(idea["last_activity_at"], moment)
        return made

    # Follows and search -----------------------------------------------------------------------------------
    def follows(self) -> None:
        """Authors follow their ideas, champions their challenges, commenters the ideas they comment on."""
        first: dict[tuple[int, str, int], datetime] = {}
        for idea in self.rows["ideas"]:
            first[(idea["author_id"], "idea", idea["id"])] = idea["created_at"]
        for challenge in self.rows["challenges"]:
            first.setdefault((challenge["champion_id"], "challenge", challenge["id"]), challenge["created_at"])
        for comment in self.rows["comments"]:
            if comment["idea_id"] is not None:
                first.setdefault((comment["author_id"], "idea", comment["idea_id"]), comment["created_at"])
        self.rows["follows"] = [
            {"id": self._id("follows"), "user_id": user, "target_kind": kind, "target_id": target, "created_at": moment}
            for (user, kind, target), moment in sorted(first.items(), key=lambda item: (item[1], item[0]))
        ]

    def search_documents(self) -> None:
        """As the indexer writes them: title; summary, text, tag names (and area for ideas)."""
        rows = []
        for challenge in self.rows["challenges"]:
            names = " ".join(name for _id, name in self.challenge_plans[challenge["id"]].tags)
            rows.append({"id": self._id("search_documents"), "kind": "challenge", "ref_id": challenge["id"],
                         "challenge_id": challenge["id"], "title": challenge["title"][:200],
                         "body": search_body(challenge["summary"], challenge["background_source"], names)})
        for idea in self.rows["ideas"]:
            names = " ".join(self.idea_plans[idea["id"]].tags)
            rows.append({"id": self._id("search_documents"), "kind": "idea", "ref_id": idea["id"],
                         "challenge_id": idea["challenge_id"], "title": idea["title"][:200],
                         "body": search_body(idea["summary"], idea["description_source"], names, idea["area"])})
        self.rows["search_documents"] = rows
