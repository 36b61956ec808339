"""The encrypted hand-over of submissions between authorities, FIT-Connect style.

A block: it knows no service. A domain registers what a received submission becomes
with `receivers.submission_receiver("<service id>")`; docs/architecture.md, section
"Hand-over between authorities", describes the documents and the HTTP interface.
"""
