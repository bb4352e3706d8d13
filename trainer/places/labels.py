"""Swedish labels for the kinds of place."""

from flask_babel import lazy_gettext as _l

PLACE_KIND_LABELS = {
    "hogstadieskola": _l("Högstadieskola"),
    "gymnasium": _l("Gymnasium"),
    "fritidsgard": _l("Fritidsgård"),
    "motesplats-aldre": _l("Mötesplats för äldre"),
    "forening": _l("Förening"),
    "annat": _l("Annat"),
}
