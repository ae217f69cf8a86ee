"""Peer Coach: a local, private practice partner for workplace peer coaching."""
