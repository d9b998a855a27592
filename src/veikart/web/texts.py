"""The dashboard's own words. The templates read them as `t.<name>`, translated per request; the
msgids live here (not in the templates) so that the catalogue updater finds them."""

from __future__ import annotations

from veikart.i18n import N_, _

__all__ = ["TEXTS", "texts"]

TEXTS: dict[str, str] = {
    "skip": N_("Skip to main content"),
    "site_nav": N_("Main menu"),
    "home": N_("Front page"),
    "goals": N_("Goals"),
    "goal": N_("Goal"),
    "status_page": N_("Reporting status"),
    "since_page": N_("Since the last report"),
    "method_page": N_("Methodology"),
    "a11y_page": N_("Accessibility statement"),
    "search": N_("Search"),
    "search_label": N_("Search indicators and goals"),
    "search_button": N_("Search"),
    "search_results": N_("Search results"),
    "search_none": N_("Nothing matched {query}."),
    "search_count": N_("{n} matches for {query}."),
    "search_how": N_(
        "Every word must occur in the title, definition or description (in Norwegian or English)."
    ),
    "language": N_("Language"),
    "other_language": N_("Norsk (bokmål)"),
    "period": N_("Reporting period"),
    "as_of": N_("As known on (date)"),
    "show": N_("Show"),
    "view_choice": N_("Choose what to show"),
    "past_banner": N_("You are looking at a past view: {what}."),
    "past_period": N_("the period {period}"),
    "past_as_of": N_("the data as known on {date}"),
    "back_to_now": N_("Show the latest"),
    "no_period": N_("No reporting period has been published yet: no assessment is shown."),
    "no_assessment": N_("The published period has no assessment of this goal."),
    "overall_status": N_("Overall status"),
    "positive_events": N_("Positive events"),
    "challenges": N_("Challenges"),
    "strategic_questions": N_("Important strategic questions"),
    "summary": N_("Summary"),
    "subgoals": N_("Subgoals"),
    "indicators": N_("Indicators"),
    "statistics": N_("Statistics"),
    "indicator": N_("Indicator"),
    "status": N_("Status"),
    "latest": N_("Latest value"),
    "ambition": N_("Ambition"),
    "none": N_("none"),
    "chart": N_("Progress towards {year}"),
    "chart_table": N_("The chart's data as a table"),
    "no_data": N_("No published observations yet."),
    "data_table": N_("Data"),
    "filter": N_("Filter the data"),
    "filter_apply": N_("Show the selected rows"),
    "filter_all": N_("All"),
    "filter_total": N_("Total"),
    "rows_shown": N_("{n} of {m} rows shown."),
    "rows_capped": N_("The table shows the first {n} rows that match; choose a filter, or download them all:"),
    "period_col": N_("Period"),
    "value_col": N_("Value"),
    "n_col": N_("n"),
    "flags_col": N_("Flags"),
    "provenance_col": N_("Provenance"),
    "source_col": N_("Source"),
    "note_col": N_("Note"),
    "about": N_("About the indicator"),
    "definition": N_("Definition"),
    "source": N_("Source"),
    "frequency": N_("Update frequency"),
    "unit": N_("Unit"),
    "provenance": N_("Provenance"),
    "freshness": N_("Data freshness"),
    "latest_period": N_("Latest period"),
    "next_due": N_("Next figure due"),
    "overdue": N_("overdue"),
    "up_to_date": N_("up to date"),
    "vintage": N_("Data as known on {date} (the store's last change)."),
    "method": N_("Method"),
    "method_link": N_("How the status is computed"),
    "explanation": N_("What the status means"),
    "series_status": N_("Status per series"),
    "series": N_("Series"),
    "score": N_("Score"),
    "downloads": N_("Downloads"),
    "dl_csv": N_("Data as CSV"),
    "dl_json": N_("Data and metadata as JSON"),
    "dl_jsonstat": N_("Data as JSON-stat 2.0"),
    "dl_svg": N_("Chart as SVG"),
    "dl_png": N_("Chart as PNG"),
    "assessment_of": N_("Assessment of {period}"),
    "goal_title": N_("Goal {id}: {title}"),
    "status_intro": N_(
        "How many indicators of each goal have published data, an ambition and a computed status."
    ),
    "with_data": N_("With data"),
    "with_ambition": N_("With an ambition"),
    "with_status": N_("With a status"),
    "total": N_("Total"),
    "count": N_("Number"),
    "open_data": N_("Open data (API)"),
    "illustrative_present": N_("Parts of this page show illustrative data, marked as such: not official figures."),
    "not_found": N_("Page not found"),
    "error": N_("Something went wrong"),
    "footer_owner": N_("Published by {owner}."),
    "footer_made": N_("Made with Veikart."),
    "changed_since": N_("What changed since the last period"),
    "more_since": N_("Everything that changed since the last report"),
    "a11y_body": N_(
        "This dashboard is made to meet WCAG 2.1 level AA, which Norwegian law requires of public web "
        "pages. Every page works without JavaScript and by keyboard alone; it has a link to skip to the "
        "main content, landmarks, headings in order and visible focus. Every chart has a text "
        "alternative and its data as a table, and every status is written in words, never shown by "
        "colour alone. The pages are checked automatically with axe-core in both languages."
    ),
    "a11y_known": N_("Known limitations"),
    "a11y_limits": N_(
        "The interactive charts (with tooltips, when JavaScript runs) are a convenience: the same "
        "information is in the static chart's text alternative and in the data table below it."
    ),
    "a11y_contact": N_("Report a problem with accessibility to {owner}."),
    "method_intro": N_(
        "Each indicator's status compares its observed development with the development its ambition "
        "requires; without an ambition, with a steady pace in the desired direction."
    ),
    "api_intro": N_("Every figure on these pages is also open data, read-only, at {url}."),
}


def texts() -> dict[str, str]:
    """TEXTS in the current language."""
    return {k: _(v) for k, v in TEXTS.items()}
