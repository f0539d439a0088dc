"""The apps' audit-log actions are known to Wagtail's log: the admin's history and its filters show
each action's Danish label instead of the raw action name (core.log_actions)."""

import pytest
from wagtail.log_actions import registry

from consultations.audit import ACTIONS as CONSULTATION_ACTIONS
from consultations.surveys.audit import ACTIONS as SURVEY_ACTIONS
from core.wagtail_hooks import TRANSLATION_ACTIONS


@pytest.mark.parametrize("actions", [CONSULTATION_ACTIONS, SURVEY_ACTIONS, TRANSLATION_ACTIONS])
def test_every_action_has_its_label_and_message(actions):
    choices = dict(registry.get_choices())
    for action, (label, message) in actions.items():
        assert choices[action] == label, action
        assert registry.formatters[action].message == message, action
