"""Exact sync: a partner that applies the webhook events holds what a full read of the API shows it.

A seeded random series of writes (new, edited, released, withdrawn, re-released, moved and deleted
reports, training records and updates; reviews made and undone; a source made and unmade official,
and renamed; hotspots edited, and their activity counts moved by all the rest) runs while three
subscribers listen on real HTTP receivers: a partner subscribed from the start, a
partner that subscribes midway from a full read of the API, and a member of the mission. After
every write each subscriber's copy, with the events applied, must equal a full re-read of the API
with its owner's token; and each event must make sense to a copy: ``created`` for a record the copy
lacks, ``changed``, ``withdrawn`` and ``deleted`` for one it holds, ``deleted`` only once the record
is gone, at most one event per record and write.
"""

from __future__ import annotations

import functools
import os
import random
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from hotspots.models import Hotspot
from ingestion.choices import ReviewState
from ingestion.models import Source, Update
from ingestion.services import update_review
from operations.models import OperationReport, TrainingRecord
from tests.factories import OperationReportFactory, SourceFactory, TrainingRecordFactory, UpdateFactory
from tests.support.receiver import WebhookReceiver
from webhooks import services
from webhooks.choices import PUSHED_RESOURCES

pytestmark = pytest.mark.django_db

SYNCED = ("hotspots", "reports", "training-records", "updates")
MODELS = {
    "hotspots": Hotspot,
    "reports": OperationReport,
    "training-records": TrainingRecord,
    "updates": Update,
}
# The hotspots the records are put at: few, so that their activity counts move often.
SITES = ("solino", "tlia", "carrefour-laeroport")
WRITES = int(os.environ.get("SYNC_REPLAY_WRITES", "60"))
SEEDS = [int(s) for s in os.environ.get("SYNC_REPLAY_SEEDS", "7").split(",")]


def read_everything(client: APIClient) -> dict[str, dict[str, dict]]:
    """A full read of the synced collections, as the client's owner sees them, by id."""
    copy: dict[str, dict[str, dict]] = {}
    for resource in SYNCED:
        # The hotspot list is whole (not paged): it takes no page size.
        query = {} if resource == "hotspots" else {"page_size": 500}
        response = client.get(f"/api/v1/{resource}/", query)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        assert body.get("next") is None, "more than one page: raise page_size"
        rows = body["features"] if "features" in body else body["results"]
        copy[resource] = {str(row["id"]): row for row in rows}
    return copy


@dataclass
class Subscriber:
    """A subscription's owner, its receiver, and its copy of the collections kept from the events."""

    name: str
    client: APIClient
    receiver: WebhookReceiver
    copy: dict[str, dict[str, dict]] = field(default_factory=lambda: {r: {} for r in SYNCED})
    applied: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def apply_new_events(self, step: str) -> list[str]:
        """Apply the events that arrived since the last call; returns what made no sense to a copy."""
        wrong = []
        events = self.receiver.events[self.applied :]
        self.applied += len(events)
        told = [(e["resource"], e["id"]) for e in events]
        if len(told) != len(set(told)):
            wrong.append(f"{self.name}, {step}: more than one event for a record: {told}")
        for event in events:
            kind, resource, object_id = event["event"], event["resource"], event["id"]
            self.counts[kind] = self.counts.get(kind, 0) + 1
            held = self.copy[resource]
            if kind == "created":
                if object_id in held:
                    wrong.append(f"{self.name}, {step}: created {resource}/{object_id}, already held")
                held[object_id] = event["data"]
            elif kind == "changed":
                if object_id not in held:
                    wrong.append(f"{self.name}, {step}: changed {resource}/{object_id}, never held")
                held[object_id] = event["data"]
            else:
                if object_id not in held:
                    wrong.append(f"{self.name}, {step}: {kind} {resource}/{object_id}, never held")
                key = "slug" if resource == "hotspots" else "pk"
                gone = not MODELS[resource].objects.filter(**{key: object_id}).exists()
                if gone != (kind == "deleted"):
                    wrong.append(
                        f"{self.name}, {step}: {kind} {resource}/{object_id} but the record exists={not gone}"
                    )
                held.pop(object_id, None)
        return wrong

    def differences(self, step: str) -> list[str]:
        wanted = read_everything(self.client)
        wrong = []
        for resource in SYNCED:
            have, want = self.copy[resource], wanted[resource]
            for object_id in sorted(set(have) | set(want)):
                if have.get(object_id) != want.get(object_id):
                    wrong.append(
                        f"{self.name}, {step}: {resource}/{object_id} copy {have.get(object_id)!r}"
                        f" != API {want.get(object_id)!r}"
                    )
        return wrong


def client_of(user) -> APIClient:
    _, raw = api_token_issue(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


class World:
    """The writes the replay picks from, each one commit, as staff and processing would make them."""

    def __init__(self, rng: random.Random, committed, make_user) -> None:
        self.rng, self.committed = rng, committed
        self.reporter, self.reviewer = make_user("reporter"), make_user("approver")
        self.hotspots = list(Hotspot.objects.filter(slug__in=SITES).order_by("slug"))
        assert len(self.hotspots) == len(SITES)
        self.sources = [
            SourceFactory(name="mission channel", is_official=True),
            SourceFactory(name="press search", is_official=False),
        ]

    def _pick(self, model):
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        return model.objects.get(pk=self.rng.choice(ids)) if ids else None

    def _level(self) -> str:
        return self.rng.choice(["public", "partners", "mission"])

    def _sites(self) -> list[Hotspot]:
        return self.rng.sample(self.hotspots, self.rng.randrange(3))

    def new_report(self):
        status = self.rng.choice(["draft", "approved"])
        sites = self._sites()

        def create():  # as the admin does: the report, then its hotspots, in one transaction
            report = OperationReportFactory(
                author=self.reporter,
                releasability=self._level(),
                status=status,
                approved_by=self.reviewer if status == "approved" else None,
            )
            report.hotspots.set(sites)

        self.committed(transaction.atomic(create))

    def edit_report(self):
        report = self._pick(OperationReport)
        if report is None:
            return self.new_report()
        choice = self.rng.choice(["summary", "releasability", "status", "hotspots"])
        if choice == "hotspots":
            sites = self._sites()

            def move():
                report.save()
                report.hotspots.set(sites)

            return self.committed(transaction.atomic(move))
        if choice == "summary":
            report.summary = f"Summary {self.rng.randrange(10**6)}"
        elif choice == "releasability":
            report.releasability = self._level()
        else:
            report.status = "draft" if report.status == "approved" else "approved"
            report.approved_by = self.reviewer
        self.committed(report.save)

    def new_training(self):
        self.committed(
            TrainingRecordFactory,
            author=self.reporter,
            releasability=self._level(),
            status=self.rng.choice(["planned", "completed"]),
            hotspot=self.rng.choice([None, *self.hotspots]),
        )

    def edit_training(self):
        record = self._pick(TrainingRecord)
        if record is None:
            return self.new_training()
        choice = self.rng.choice(["releasability", "trainees", "hotspot"])
        if choice == "releasability":
            record.releasability = self._level()
        elif choice == "hotspot":
            record.hotspot = self.rng.choice([None, *self.hotspots])
        else:
            record.trainees_total += 1
        self.committed(record.save)

    def new_update(self):
        source = self.rng.choice(self.sources)
        self.committed(UpdateFactory, post__source=source, hotspots=self._sites())

    def review_update(self):
        update = self._pick(Update)
        if update is None:
            return self.new_update()
        state = self.rng.choice(["confirmed", "corrected", "rejected", "undone"])
        if state == "undone":  # the post's text changed: back to review (ingestion's processing)
            update.review_state, update.reviewer, update.reviewed_at = ReviewState.AUTO, None, None
            self.committed(update.save)
        else:
            changes = {"kind": "incident", "hotspots": self._sites()} if state == "corrected" else {}
            self.committed(update_review, update=update, user=self.reviewer, state=state, **changes)

    def toggle_source(self):
        source = Source.objects.get(pk=self.rng.choice(self.sources).pk)
        source.is_official = not source.is_official
        self.committed(source.save)

    def rename_source(self):
        source = Source.objects.get(pk=self.rng.choice(self.sources).pk)
        source.name = f"{source.name.split(' #')[0]} #{self.rng.randrange(1000)}"
        self.committed(source.save)

    def edit_hotspot(self):
        hotspot = self.rng.choice(self.hotspots)
        hotspot.description = f"Described {self.rng.randrange(10**6)}"
        self.committed(hotspot.save)

    def delete_one(self):
        model = self.rng.choice([OperationReport, TrainingRecord, Update])
        record = self._pick(model)
        if record is not None:
            self.committed(record.delete)

    def epilogue(self) -> list:
        """Writes that end the series with each kind of event, whatever the seed picked before."""
        report = OperationReportFactory.build(
            author=self.reporter, releasability="public", status="approved", approved_by=self.reviewer
        )

        def new():
            report.save()
            report.hotspots.set(self.hotspots[:1])

        def edit():
            report.summary = "Edited at the end."
            report.save()

        def withdraw():
            report.releasability = "mission"
            report.save()

        def release():
            report.releasability = "partners"
            report.save()

        steps = [transaction.atomic(step) for step in (new, edit, withdraw, release)] + [report.delete]
        return [functools.partial(self.committed, step) for step in steps]

    def write(self) -> str:
        action = self.rng.choices(
            [
                self.new_report,
                self.edit_report,
                self.new_training,
                self.edit_training,
                self.new_update,
                self.review_update,
                self.toggle_source,
                self.rename_source,
                self.edit_hotspot,
                self.delete_one,
            ],
            weights=[3, 5, 2, 3, 3, 5, 1, 1, 1, 2],
        )[0]
        action()
        return action.__name__


@pytest.mark.parametrize("seed", SEEDS)
def test_a_receiver_applying_the_events_equals_a_full_read_after_every_write(
    seed, committed, make_user, capsys
):
    rng = random.Random(seed)
    world = World(rng, committed, make_user)
    owners = {"partner from the start": make_user("partner"), "member": make_user("analyst")}
    late_partner = make_user("partner")
    subscribers: list[Subscriber] = []
    with WebhookReceiver() as first, WebhookReceiver() as member, WebhookReceiver() as late:
        for (name, owner), receiver in zip(owners.items(), (first, member), strict=True):
            receiver.secret = services.subscription_create(owner=owner, url=f"{receiver.url}/hook")[1]
            client = client_of(owner)  # every subscriber starts from a full read (the seed hotspots)
            subscribers.append(Subscriber(name, client, receiver, copy=read_everything(client)))

        wrong: list[str] = []
        epilogue = world.epilogue()
        for n in range(WRITES + len(epilogue)):
            if n == WRITES // 3:
                # Subscribes midway, starting from a full read: what it already holds is "changed".
                client = client_of(late_partner)
                joining = Subscriber("partner from midway", client, late, copy=read_everything(client))
                late.secret = services.subscription_create(owner=late_partner, url=f"{late.url}/hook")[1]
                subscribers.append(joining)
            if n < WRITES:
                step = f"write {n} ({world.write()}, seed {seed})"
            else:
                epilogue[n - WRITES]()
                step = f"write {n} (epilogue, seed {seed})"
            for subscriber in subscribers:
                wrong += subscriber.apply_new_events(step)
                wrong += subscriber.differences(step)
            assert not wrong, "\n".join(wrong[:10])

    with capsys.disabled():
        summary = "; ".join(f"{s.name}: {s.applied} events {s.counts}" for s in subscribers)
        print(f"\nsync replay, seed {seed}: {WRITES} writes; {summary}")
    for subscriber in subscribers:
        assert set(subscriber.counts) == {"created", "changed", "withdrawn", "deleted"} - (
            {"withdrawn"} if subscriber.name == "member" else set()
        ), subscriber.counts
    assert set(PUSHED_RESOURCES) >= set(SYNCED)
