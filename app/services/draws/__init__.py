"""随机抽取: the ceremony, attempts, the manifest, supervision, projector views, the bundle.

DRAW-1 itself (pure, standard library) is in app.draw; this package stores and shows it.
"""
