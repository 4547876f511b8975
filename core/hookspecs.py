"""Every hook a huodong plugin can implement.

Each hook's docstring is its documentation; docs/plugin_hooks.md repeats them with examples
and a test keeps the two in step. Call hooks with keyword arguments only.
"""

from __future__ import annotations

from core import hookspec


@hookspec
def huodong_models():
    """Return the peewee model classes this plugin brings.

    The core uses the list to build migrations (``huodong makemigrations``), to check that the
    migrated schema matches the models, and to clear tables in tests.
    """


@hookspec
def huodong_migrations():
    """Return ``(name, directory)``: the plugin's own folder of migrations, numbered in its own sequence.

    ``huodong migrate`` runs the core's ordered migrations first, then each plugin's folder after those of
    the plugins it ``REQUIRES``, recording what ran in its own history table ``migratehistory_<name>``.
    Built-in plugins do the same (``plugins/<name>/migrations``). A plugin's migrations find the core's
    tables and those of the plugins it requires in ``migrator.orm``.
    """


@hookspec
def huodong_blueprints():
    """Return Flask blueprints to register: pages, and JSON endpoints under ``/api/v1``.

    Every view must declare who may call it with a decorator from :mod:`core.access`; the app refuses
    to serve a view without one.
    """


@hookspec
def huodong_template_dirs():
    """Return directories of Jinja templates, searched after the core's ``templates/`` folder.

    Keep them in a sub-folder named after the plugin (``templates/<name>/page.html``); built-in plugins
    do the same (``plugins/<name>/templates/<name>/``)."""


@hookspec
def huodong_menu_items(account, event):
    """Return :class:`core.contrib.MenuItem` entries for the navigation.

    ``event`` is the event being viewed, or ``None`` for the main menu. ``account`` may be ``None``
    (anonymous visitor); return only what that account may open.
    """


@hookspec
def huodong_login_methods():
    """Return :class:`core.contrib.LoginMethod` entries: ways to log in besides the password, shown as
    buttons on the login page (the core adds the union's OpenID Connect when ``OIDC_ISSUER`` is set).

    The method's own view sends the browser to the provider and, on its way back, finds the account with
    :func:`core.services.identities.account_of` (the provider's name and the person's stable subject),
    links a first-time person with :func:`core.services.identities.link` after he confirms who he is, and
    logs him in with :func:`core.access.login_session`. A 企业微信 or 钉钉 login is such a plugin.
    """


@hookspec
def huodong_activity_types():
    """Return the :class:`core.contrib.ActivityType` values this plugin offers, with their presets."""


@hookspec
def huodong_event_created(event, preset, account):
    """Called once, inside the creating transaction, after an event is created.

    ``preset`` is the :class:`core.contrib.Preset` chosen (or ``None``). The plugin that owns
    ``event.activity_type`` builds what the preset describes: items, rules, prizes, itinerary.
    """


@hookspec
def huodong_event_status_changed(event, old, new, account):
    """Called after an event moves from status ``old`` to ``new`` (e.g. ``draft`` to ``published``)."""


@hookspec
def huodong_registration_fields(event):
    """Return :class:`core.contrib.RegistrationField` values added to ``event``'s registration form."""


@hookspec
def huodong_registration_check(event, member, data, registration):
    """Return a list of messages (empty when all is well) that refuse a registration.

    Called before a registration for ``member`` to ``event`` is saved, with the submitted ``data``
    (a dict, including extra fields and the chosen items) and the existing ``registration`` when it
    is being changed. Messages are shown as they are: write them in the user's language.
    """


@hookspec
def huodong_registration_changed(registration, action, account):
    """Called after a registration is created, changed, withdrawn or promoted from the waiting list.

    ``action`` is one of ``created``, ``updated``, ``withdrawn``, ``promoted``.
    """


@hookspec
def huodong_audit_labels():
    """Return a dict from the audit actions this plugin writes (``"checkin.excuse"``) to their labels,
    marked with ``lazy_gettext``: what a history of changes, such as an event's registration history,
    calls them. Actions without a label read as 其他修改.
    """


@hookspec(firstresult=True)
def huodong_attendance(event, member, checkpoint):
    """Answer the attendance of ``member`` at ``event`` (or at one ``checkpoint`` key of it).

    Return one of ``on_time``, ``late``, ``early_leave``, ``late_early_leave``, ``no_sign_out`` (a sign-out
    asked for and never made), ``late_no_sign_out``, ``absent``, ``excused``, or ``None`` when this plugin
    does not know. The first answer wins. Scoring uses it for participation awards.
    """


@hookspec(firstresult=True)
def huodong_attendance_many(event, member_ids, checkpoint):
    """Answer the attendance of many members at once: a dict ``{member_id: status}``.

    The batch form of :func:`huodong_attendance`, for payouts and reports over hundreds of people
    (one query instead of one per person). Statuses are those of ``huodong_attendance``; leave out
    members you know nothing about, or return ``None`` when this plugin does not answer at all.
    Callers fall back to ``huodong_attendance`` per member when no plugin answers.
    """


@hookspec
def huodong_checked_in(event, member, checkpoint, status, at):
    """Called after ``member`` signed in (or out) at ``event``.

    ``checkpoint`` is the checkpoint key or ``None``, ``status`` the resulting attendance status,
    ``at`` the naive UTC time of the scan.
    """


@hookspec
def huodong_calendar_components(event, member):
    """Return extra :class:`core.calendar.FeedItem` entries for ``event`` in calendar feeds.

    An outing's itinerary stops, a contest's judging sessions, a sports day's items. ``member`` is set
    for a personal feed (return only his own checkpoints and items) and ``None`` otherwise. Each
    entry needs a stable UID (:func:`core.services.feeds.component` makes one from a key such as
    ``"stop-3"`` and fills in the event's zone, URL, SEQUENCE and status).

    Called once per event of a feed: a plugin that reads the database should implement
    :func:`huodong_calendar_components_batch` instead. Whatever a plugin changes that it returns
    here must move the event (``core.models.events.touch_event(event.id)``); core items do it
    on save.
    """


@hookspec
def huodong_calendar_components_batch(events, member):
    """Return ``{event_id: [FeedItem, ...]}``: extra components of several events at once.

    The batch form of :func:`huodong_calendar_components`, called once per feed with all of its
    ``events`` (a unit's feed may hold thousands), so that a plugin reads what it needs with one
    query (``WHERE event_id IN ...``) instead of one per event. The events carry the columns a feed
    reads (id, title, activity type, unit, zone, times, status, sequence, updated_at, settings).
    ``member`` is set for a personal feed (return only his own checkpoints and items) and ``None``
    otherwise. Same rules: stable UIDs, and a change must move the event. A plugin implementing both
    forms is asked by feeds only through this one.
    """


@hookspec
def huodong_export_sheets(event):
    """Return :class:`core.contrib.ExportSheet` values offered as xlsx downloads on ``event``'s page."""


@hookspec
def huodong_permissions():
    """Return :class:`core.contrib.Permission` values this plugin defines, with the roles holding them."""


@hookspec
def huodong_roles():
    """Return :class:`core.contrib.Role` values: the roles this plugin adds (a judge, a reviewer).

    Grants name roles by key; :func:`core.services.accounts.grant_role` refuses a role that neither the
    core nor a loaded plugin declares. Give each role its permissions through ``huodong_permissions``.
    """


@hookspec
def huodong_dashboard_widgets(account):
    """Return :class:`core.contrib.Widget` boxes for ``account``'s dashboard."""


@hookspec
def huodong_event_sections(event, account):
    """Return :class:`core.contrib.Section` blocks shown on ``event``'s page for ``account``."""


@hookspec
def huodong_event_figures(event):
    """Return a dict of figures ``event`` achieved, e.g. ``{"people": 250, "money": Decimal("375000.00")}``.

    Used to roll events up into yearly project progress and summaries. Several plugins may answer
    for one event (the core counts its active registrations as ``people``); their answers describe
    the same event, so readers merge them per figure by taking the largest value.
    """


@hookspec
def huodong_demo_data(demo):
    """Add this plugin's demo events to the demo database.

    ``demo`` is a :class:`core.demo.Demo` with the units, members and accounts already made and
    helpers to create events from presets.
    """


@hookspec
def huodong_message_kinds():
    """Return :class:`core.messages.kinds.MessageKind` values: the kinds of message this plugin sends.

    A kind has a key (``"contest.result"``), a label for the delivery log, Chinese ``%(name)s`` templates
    for the subject and body (marked with ``core.messages.kinds._l`` so that ``huodong translations``
    finds them; English goes in the plugin's ``translations/en.po``) and, only for event-level notices,
    a ``group`` text that group robots may carry. Send one with :func:`core.messages.send`.
    """


@hookspec
def huodong_message_channels():
    """Return channel objects (:class:`core.messages.channels.Channel`): more ways to deliver messages.

    Each has a ``name``, a ``label``, an ``audience`` (``"person"``: members choose it on their account page
    and ``address(member, preference)`` says where to; ``"group"``: a group robot, used when
    ``configured()``) and ``send(outgoing)``, which delivers one message or raises
    :class:`core.messages.channels.DeliveryError`. ``huodong worker`` calls ``send`` outside any request.
    """


@hookspec
def huodong_scheduled(now):
    """Queue the messages that the clock has made due; return how many were new (an ``int``).

    Called by ``huodong remind`` and by ``huodong worker`` every ten minutes, so it runs often, late, and
    sometimes twice at once: send each message with a ``dedupe`` key that names its cause (the checkpoint
    and the member, say) and a second run queues nothing. ``now`` is naive UTC; look a little behind it
    as well as ahead, since a round may come up to ten minutes after the moment.
    """


@hookspec
def huodong_reminder_context(event):
    """Return a ``dict`` of values for the day-before reminder of ``event``, or ``None``.

    The reminder kind (``event.reminder``) prints a line for each of these keys that is set: ``signin``
    (when and where sign-in opens) and ``note`` (anything else to bring or know; a
    :class:`core.messages.kinds.Text` is translated into each member's language). The dicts of all plugins
    are merged.
    """


@hookspec
def huodong_register_commands(cli):
    """Add click commands to the ``huodong`` command group ``cli``."""
