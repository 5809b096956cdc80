// RetortDistill: objectives, trainer and evaluation (survey Eq. 2).
