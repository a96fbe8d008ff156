"""Signals operations sends where Django's own say too little.

A report's ``post_save`` does not say which step of the workflow was taken, nor by whom; apps above
this one that follow the workflow (notifications) listen for this instead. Sent inside the
transaction that writes the step: receivers that act outside the database wait for the commit.
"""

from django.dispatch import Signal

# sender: the OperationReport model; report: the report; step: "submitted", "sent_back", "rejected"
# or "approved"; user: who took the step; reason: the approver's reason for a send-back or a
# rejection ("" otherwise).
report_workflow_step = Signal()
