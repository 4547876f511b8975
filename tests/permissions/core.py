"""The core's routes in the permissions matrix, and the world every table shares.

The world: 区总工会 → 实验中学工会 (初一年级组, 初二年级组) and 别的学校工会.
- participant: a teacher of 初二年级组, no role;
- dept_head_other: head of 初一年级组 (another department than the member and the participant);
- organizer_other: organizer of 别的学校工会;
- organizer: organizer of 实验中学工会, which owns the events;
- admin.
"""

from __future__ import annotations

from tests.permissions import EVERYONE, LOGGED_IN, NOBODY, SCHOOL_MEMBERS, allow

MANAGERS = {"organizer", "admin"}
ANY_ORGANIZER = {"organizer", "organizer_other", "admin"}


def setup(world):
    from core.services.accounts import issue_token

    f = world.factory
    school = f.school()
    world.district, world.school, world.g1, world.g2 = school["district"], school["school"], school["g1"], school["g2"]
    world.other_school = f.unit("别的学校工会", world.district, "grassroots")
    world.member = f.member(world.g2, name="李四光")
    head = f.member(world.g1, name="张三明")
    world.add_role("anonymous", None)
    world.add_role("participant", f.account("participant", member=world.member))
    world.add_role("dept_head_other", f.account("head_g1", member=head, roles=[("dept_head", world.g1)]))
    world.add_role("organizer_other", f.account("org_other", roles=[("organizer", world.other_school)]))
    world.add_role("organizer", f.account("organizer", roles=[("organizer", world.school)]))
    world.add_role("admin", f.account("admin", roles=["admin"]))
    world.event = f.event(world.school, title="工会会员代表大会")
    world.draft_event = f.event(world.school, title="草稿活动", status="draft")
    issue_token(world.accounts["participant"], "手机")
    from core.models import ApiToken

    world.token = ApiToken.get(ApiToken.account == world.accounts["participant"])
    from core.services import feed_tokens

    world.feed_token = feed_tokens.feed_token(world.member)
    # accounts the administrator's routes change (apart from the roles', whose sessions must stay valid)
    world.spare_account = f.account("spare_judge", roles=[("judge", world.school)])
    world.spare_grant = world.spare_account.grants.get()
    world.other_account = f.account("someone_else")
    world.member_account = world.accounts["participant"]  # a member's account, in 实验中学工会
    from core.messages import send

    world.message = send(world.member, "event.broadcast", {"title": "通知", "text": "明天开会"}, event=world.event,
                         dedupe="matrix:message")
    from core.messages.models import MessagePreference

    MessagePreference.create(member=world.member, email="participant@example.com")  # not verified yet


RULES = {
    "GET /static/<path:filename>": [allow(EVERYONE, filename="huodong.css")],
    "GET /healthz": [allow(EVERYONE)],  # for load balancers and monitoring
    # auth
    "GET /login": [allow(EVERYONE)],
    "POST /login": [allow(EVERYONE)],
    "POST /logout": [allow(EVERYONE)],
    "GET /lang/<code>": [allow(EVERYONE, code="en")],
    # the union's own login: nobody's while no provider is configured; the link step sends anybody without a
    # pending link back to the login page (tests/journeys/test_oidc_login.py walks the configured flow)
    "GET /login/oidc": [allow(NOBODY)],
    "GET /login/oidc/callback": [allow(NOBODY)],
    "GET /login/oidc/link": [allow(EVERYONE)],
    "POST /login/oidc/link": [allow(EVERYONE)],
    # dashboard and events
    "GET /": [allow(EVERYONE)],
    "GET /events/": [allow(EVERYONE)],
    "GET /events/month": [allow(EVERYONE)],
    "GET /events/month/<int:year>/<int:month>": [allow(EVERYONE, year=2026, month=5)],
    "GET /events/new": [allow(ANY_ORGANIZER)],
    "GET /events/new/<kind>": [allow(ANY_ORGANIZER, kind="general")],
    "POST /events/new/<kind>": [allow(ANY_ORGANIZER, kind="general")],
    "GET /events/<int:event_id>": [
        allow(EVERYONE, event_id="$event"),
        allow(MANAGERS, event_id="$draft_event"),  # drafts: only who manages the owning unit
    ],
    "GET /events/<int:event_id>/edit": [
        allow(MANAGERS, event_id="$event"),
        allow(MANAGERS, event_id="$draft_event"),
    ],
    "POST /events/<int:event_id>/edit": [allow(MANAGERS, event_id="$event")],
    "POST /events/<int:event_id>/status": [allow(MANAGERS, event_id="$event")],
    # plugins add the sheets that exist (see example.py); an unknown sheet is nobody's
    "GET /events/<int:event_id>/export/<key>.xlsx": [allow(NOBODY, event_id="$event", key="nosuch")],
    # calendar feeds: an event's feed follows its page; a personal feed is reached by its secret alone
    "GET /events/<int:event_id>.ics": [
        allow(EVERYONE, event_id="$event"),
        allow(MANAGERS, event_id="$draft_event"),
    ],
    "GET /units/<int:unit_id>/calendar.ics": [allow(EVERYONE, unit_id="$school")],
    "GET /calendar/<token>.ics": [allow(EVERYONE, token="$feed_token"), allow(NOBODY, token="0" * 32)],
    "GET /calendar": [allow(LOGGED_IN)],
    "POST /calendar/renew": [allow(SCHOOL_MEMBERS)],  # accounts of members only
    # messages: one's own inbox; the channels of a member's account; an event's log for its organizers
    "GET /messages": [allow(LOGGED_IN)],
    "GET /messages/<int:message_id>": [allow({"participant"}, message_id="$message")],
    "POST /messages/read": [allow(LOGGED_IN)],
    "POST /account/messages": [allow(SCHOOL_MEMBERS)],
    "GET /messages/notice": [allow(ANY_ORGANIZER)],
    "POST /messages/notice": [allow(ANY_ORGANIZER)],  # an empty form: refused by the form, not by the rights
    "GET /events/<int:event_id>/messages": [allow(MANAGERS, event_id="$event")],
    "POST /events/<int:event_id>/messages": [allow(MANAGERS, event_id="$event")],
    # people and units
    "GET /members/": [allow({"dept_head_other", *ANY_ORGANIZER})],
    "GET /members/new": [allow(ANY_ORGANIZER)],
    "POST /members/new": [allow(ANY_ORGANIZER)],
    "GET /members/<int:member_id>/edit": [allow(MANAGERS, member_id="$member")],
    "POST /members/<int:member_id>/edit": [allow(MANAGERS, member_id="$member")],
    "GET /members/export.xlsx": [allow({"dept_head_other", *ANY_ORGANIZER})],  # each sees his own units
    "GET /members/import": [allow(ANY_ORGANIZER)],
    "GET /members/import/template.xlsx": [allow(ANY_ORGANIZER)],
    "POST /members/import": [allow(ANY_ORGANIZER)],
    # a well-formed token of an upload that is not there: the page says it expired
    "POST /members/import/confirm": [allow(ANY_ORGANIZER, data={"token": "0" * 32})],
    "GET /units/": [allow({"admin"})],
    "POST /units/": [allow({"admin"})],
    # accounts and roles: the administrator everywhere, an organizer over his own units' members (the
    # form refuses an account without a member of his units with a message)
    "GET /accounts/": [allow(ANY_ORGANIZER)],
    "POST /accounts/": [allow(ANY_ORGANIZER, data={"username": "new_user", "password": "new-pass-123"})],
    "POST /accounts/<int:account_id>/roles": [allow({"admin"}, account_id="$other_account",
                                                    data={"role": "judge"}),
                                              allow(MANAGERS, account_id="$member_account",
                                                    data={"role": "judge", "unit": "$g2"})],
    "POST /accounts/<int:account_id>/roles/<int:grant_id>/revoke": [
        allow({"admin"}, account_id="$spare_account", grant_id="$spare_grant")],
    "POST /accounts/<int:account_id>/password": [allow({"admin"}, account_id="$other_account",
                                                       data={"password": "another-pass-1"})],
    "POST /accounts/<int:account_id>/active": [allow({"admin"}, account_id="$spare_account",
                                                     data={"active": "0"})],
    # accounts for the roster: organizers over their own units; activation is for anybody with the facts
    "GET /accounts/open": [allow(ANY_ORGANIZER)],
    "POST /accounts/open": [allow(ANY_ORGANIZER)],  # the form offers his own units only
    "GET /accounts/slips": [allow(MANAGERS, unit="$school")],
    "POST /accounts/<int:account_id>/reset-code": [allow(MANAGERS, account_id="$member_account")],
    "GET /activate": [allow(EVERYONE)],
    "POST /activate": [allow(EVERYONE)],
    "GET /activate/code": [allow(EVERYONE)],
    "POST /activate/code": [allow(EVERYONE)],
    "GET /activate/<code>": [allow(EVERYONE, code="ABCDE23456")],
    "GET /password/forgot": [allow(EVERYONE)],
    "POST /password/forgot": [allow(EVERYONE, data={"identifier": "nobody"})],
    # proving a mail address: resent by its owner; the link works for whoever holds the mailbox
    "POST /account/email/verify": [allow({"participant"})],
    "GET /account/email/verify/<token>": [allow(EVERYONE, token="forged.token")],
    # the account page: one's own account only
    "GET /account": [allow(LOGGED_IN)],
    "POST /account/password": [allow(LOGGED_IN)],
    "POST /account/language": [allow(LOGGED_IN)],
    "POST /account/tokens": [allow(LOGGED_IN)],
    "POST /account/tokens/<int:token_id>/revoke": [allow({"participant"}, token_id="$token")],
    # the API
    "GET /api/v1/openapi.json": [allow(EVERYONE)],
    "GET /api/v1/me": [allow(LOGGED_IN)],
    "GET /api/v1/events": [allow(EVERYONE)],
    "GET /api/v1/events/<int:event_id>": [
        allow(EVERYONE, event_id="$event"),
        allow(MANAGERS, event_id="$draft_event"),
    ],
    "GET /api/v1/members": [allow({"dept_head_other", *ANY_ORGANIZER})],
    "POST /api/v1/members": [allow(ANY_ORGANIZER)],
    "GET /api/v1/members/<int:member_id>": [allow(MANAGERS, member_id="$member")],  # not the head of 初一
    "PATCH /api/v1/members/<int:member_id>": [allow(MANAGERS, member_id="$member", json={"job": "教师"})],
    "POST /api/v1/members/import": [allow(ANY_ORGANIZER)],
}
