"""QR sign-in (签到): personal codes scanned at the door, a rotating venue code scanned by the
participants' own phones, checkpoints with their windows, attendance statuses, live counts,
printable sheets and offline scanning.
"""
