"""The canonical metric dictionary: the one place that says what each figure means, in French and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    label_fr: str
    label_en: str
    definition_fr: str
    definition_en: str
    note_fr: str = ""
    note_en: str = ""
    # "sum" adds up over days, posts and platforms; "last" is a level (a follower count) that must not.
    aggregation: str = "sum"
    unit: str = "count"
    # How the workspace stores it: money is exact to the cent, everything else a double.
    sql_type: str = "DOUBLE"

    def label(self, lang: str) -> str:
        return self.label_fr if lang == "fr" else self.label_en

    def definition(self, lang: str) -> str:
        return self.definition_fr if lang == "fr" else self.definition_en

    def note(self, lang: str) -> str:
        return self.note_fr if lang == "fr" else self.note_en


_METRICS = (
    Metric(
        "views",
        "Vues",
        "Views",
        "Nombre de fois où le contenu a été vu ou lu, tel que la plateforme le compte : impressions "
        "sur X et LinkedIn, vues sur Meta, YouTube et TikTok.",
        "Times the content was seen or played, as the platform counts it: impressions on X and "
        "LinkedIn, views on Meta, YouTube and TikTok.",
        "Les plateformes ne comptent pas une vue de la même façon : les vues Meta incluent les vues "
        "répétées ; Bluesky et Mastodon ne publient aucune vue.",
        "Platforms do not count a view the same way: Meta views include repeat views; Bluesky and "
        "Mastodon report no views at all.",
    ),
    Metric(
        "reach",
        "Couverture",
        "Reach",
        "Nombre de personnes ou comptes distincts ayant vu le contenu.",
        "Number of distinct people or accounts who saw the content.",
        "Des couvertures quotidiennes ne s'additionnent pas en personnes uniques sur une période.",
        "Daily reach does not add up to unique people over a period.",
    ),
    Metric(
        "impressions",
        "Impressions",
        "Impressions",
        "Affichages distincts des vues, par exemple les impressions de miniatures YouTube.",
        "Displays distinct from views, such as YouTube thumbnail impressions.",
        "Seulement là où la plateforme les distingue des vues ; sinon les impressions sont les vues.",
        "Only where the platform tells them apart from views; otherwise impressions are the views.",
    ),
    Metric(
        "reactions",
        "Réactions",
        "Reactions",
        "Mentions J'aime, favoris et réactions.",
        "Likes, favourites and reactions.",
    ),
    Metric(
        "comments", "Commentaires", "Comments", "Commentaires et réponses.", "Comments and replies."
    ),
    Metric(
        "shares",
        "Partages",
        "Shares",
        "Partages, republications, retweets et boosts.",
        "Shares, reposts, retweets and boosts.",
    ),
    Metric(
        "saves", "Enregistrements", "Saves", "Enregistrements et signets.", "Saves and bookmarks."
    ),
    Metric(
        "clicks", "Clics", "Clicks", "Tous les clics sur le contenu.", "All clicks on the content."
    ),
    Metric(
        "link_clicks",
        "Clics sur un lien",
        "Link clicks",
        "Clics vers un lien externe.",
        "Clicks through to an external link.",
    ),
    Metric(
        "video_views",
        "Vues de vidéos",
        "Video views",
        "Lectures de vidéos, quand elles sont comptées à part des vues.",
        "Video plays, where counted apart from views.",
        "Les vues de publications LinkedIn sont des vues de vidéos.",
        "LinkedIn post “Views” are video views.",
    ),
    Metric(
        "watch_time_hours",
        "Durée de visionnage (h)",
        "Watch time (hours)",
        "Temps total de visionnage, en heures.",
        "Total time watched, in hours.",
        unit="hours",
    ),
    Metric(
        "engagements",
        "Interactions",
        "Engagements",
        "Interactions avec le contenu, telles que la plateforme les totalise.",
        "Interactions with the content, as the platform totals them.",
        "Sur Bluesky et Mastodon, les interactions tiennent lieu de mesure : il n'y a pas de vues.",
        "On Bluesky and Mastodon, interactions are the measure: there are no views.",
    ),
    Metric(
        "followers_gained",
        "Abonnés gagnés",
        "Followers gained",
        "Nouveaux abonnés sur la période.",
        "New followers over the period.",
    ),
    Metric(
        "followers_lost",
        "Abonnés perdus",
        "Followers lost",
        "Désabonnements sur la période.",
        "Unfollows over the period.",
    ),
    Metric(
        "followers_total",
        "Abonnés (total)",
        "Followers (total)",
        "Nombre d'abonnés à une date.",
        "Number of followers on a date.",
        "Un niveau, pas un flux : on prend la dernière valeur connue, on ne l'additionne pas.",
        "A level, not a flow: the latest known value is used, never a sum.",
        aggregation="last",
    ),
    Metric(
        "profile_visits",
        "Visites du profil",
        "Profile visits",
        "Visites de la page ou du profil.",
        "Visits to the page or profile.",
    ),
    Metric(
        "spend",
        "Dépenses publicitaires (€)",
        "Ad spend (€)",
        "Budget publicitaire dépensé.",
        "Advertising budget spent.",
        unit="eur",
        sql_type="DECIMAL(18,2)",
    ),
    Metric(
        "staff_hours",
        "Temps agents (h)",
        "Staff hours",
        "Heures de travail de l'équipe consacrées à la plateforme.",
        "Team working hours spent on the platform.",
        unit="hours",
    ),
)

METRICS: dict[str, Metric] = {m.name: m for m in _METRICS}
METRIC_NAMES: tuple[str, ...] = tuple(METRICS)
