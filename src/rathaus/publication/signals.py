"""The hook by which a change tells the publishing layer that published figures moved.

Send `figures_changed` inside the transaction of the change that alters the figures
(an entry added to a register, a case decided). Django sends signals synchronously, so the
receivers run in that same transaction: opendata's receiver enqueues the refresh of
the automatic datasets there, and the queued task exists exactly when the change does
(a rollback takes both). The sender need not know who listens, so a domain or a block
never imports the publishing layer.
"""

from django.dispatch import Signal

figures_changed = Signal()
