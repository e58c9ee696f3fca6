"""The home page: what needs doing today across every area, inspection readiness and trends.

Everything is read off the GUI thread in one snapshot (``home_in``) and reloaded after any change
or at midnight. The page never switches pages itself: it asks the main window through signals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from html import escape

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QIcon, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas import AREAS
from provider_desk.areas.staff.queries import staff_counts_in
from provider_desk.changes import Changes
from provider_desk.dashboard import (
    Colour,
    Home,
    StatementReadiness,
    Trends,
    home_in,
    newly_overdue,
    trends_in,
)
from provider_desk.dashboard.figures import Card, counts
from provider_desk.db.session import Database
from provider_desk.reading import Attention, on_in, urgency
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level
from ui.context import AppContext, show_failure
from ui.icons import icon
from ui.levels import level_colour, level_fill, level_icon, level_text
from ui.models.table import ROW_ROLE, Column, RowFilterProxy, RowTableModel
from ui.page import Page
from ui.widgets.filters import refill_combo
from ui.widgets.month_chart import MonthChart
from ui.widgets.row_menu import install_row_menu, row_entries
from ui.widgets.tables import make_table_view

AREA_TITLES = {a.key: a.title for a in AREAS}


@dataclass(frozen=True)
class CardLine:
    """One count on a card: the figure's field, the level it stands for, and its words."""

    field: str
    level: Level | None  # None: a plain count (open, not done), not good or bad in itself
    words: str
    one: str = ""  # the words for exactly one, where they differ ("review overdue")
    item: str = ""  # the words after one of its items on the card (default: the level's word)

    def words_for(self, n: int) -> str:
        """'1 review overdue', '2 reviews overdue'."""
        return self.one if n == 1 and self.one else self.words


@dataclass(frozen=True)
class CardSpec:
    """How the home page shows one card of the figures, and which page its Show opens."""

    title: str
    page: str  # the area key of the page Show opens
    lines: tuple[CardLine, ...]

    def show_field(self, values: dict[str, int]) -> str:
        """The count Show opens: the first line with a level that has items (else the first)."""
        for line in self.lines:
            if line.level is not None and values.get(line.field):
                return line.field
        return self.lines[0].field


LATE, MISSING, SOON = Level.OVERDUE, Level.MISSING, Level.DUE_SOON
CARDS: dict[str, CardSpec] = {
    "training": CardSpec(
        "Training",
        "training",
        (
            CardLine("expired", LATE, "expired"),
            CardLine("missing", MISSING, "never done", item="never done"),
            CardLine("due_soon", SOON, "due soon"),
        ),
    ),
    "recruitment": CardSpec(
        "Recruitment checks",
        "staff",
        (
            CardLine(
                "outstanding",
                MISSING,
                "staff files with checks not received",
                "staff file with checks not received",
                "not received",
            ),
            CardLine(
                "unverified",
                SOON,
                "staff files with checks to verify",
                "staff file with checks to verify",
                "to verify",
            ),
        ),
    ),
    "supervision": CardSpec(
        "Supervision",
        "supervision",
        (
            CardLine("overdue", LATE, "overdue or never done"),
            CardLine("due_soon", SOON, "due soon"),
        ),
    ),
    "care_plans": CardSpec(
        "Care plans",
        "people",
        (
            CardLine("review_overdue", LATE, "reviews overdue", "review overdue"),
            CardLine("no_current_plan", MISSING, "without a current plan"),
            CardLine("consent_missing", MISSING, "without consent recorded"),
            CardLine("review_due_soon", SOON, "reviews due soon", "review due soon"),
        ),
    ),
    "risk_assessments": CardSpec(
        "Risk assessments",
        "people",
        (
            CardLine("review_overdue", LATE, "reviews overdue", "review overdue"),
            CardLine("due_soon", SOON, "due soon"),
        ),
    ),
    "complaints": CardSpec(
        "Complaints",
        "complaints",
        (
            CardLine(
                "acknowledgement_overdue",
                LATE,
                "acknowledgements overdue",
                "acknowledgement overdue",
            ),
            CardLine("response_overdue", LATE, "responses overdue", "response overdue"),
            CardLine("open", None, "open"),
        ),
    ),
    "audits": CardSpec(
        "Audits",
        "audits",
        (
            CardLine("overdue", LATE, "overdue or never done"),
            CardLine("due_soon", SOON, "due soon"),
        ),
    ),
    "actions": CardSpec(
        "Action plan",
        "actions",
        (
            CardLine("overdue", LATE, "overdue"),
            CardLine("due_soon", SOON, "due soon"),
            CardLine("open", None, "not done"),
        ),
    ),
}
CARD_ITEMS = 3
"""How many of a card's most urgent items it lists."""
NEWS_ITEMS = 4
"""How many newly overdue items "Since you last opened" lists (the rest are in To do)."""

# Readiness is shown with the levels' icons and colours, and its own words.
READINESS_STYLE: dict[Colour, tuple[Level, str]] = {
    Colour.GREEN: (Level.IN_DATE, "Green: evidence held"),
    Colour.AMBER: (Level.DUE_SOON, "Amber: weakened"),
    Colour.RED: (Level.MISSING, "Red: no evidence"),
}

TODO_COLUMNS: list[Column[Attention]] = [
    Column("Area", lambda a: AREA_TITLES.get(a.area, a.area)),
    Column("What", lambda a: a.reference, tooltip=lambda a: a.reference),
    Column(
        "Status",
        lambda a: level_text(a.level, a.area),
        sort=urgency,
        decoration=lambda a: level_icon(a.level),
        foreground=lambda a: level_colour(a.level),
    ),
    Column("Due", lambda a: format_date(a.due_on), sort=lambda a: a.due_on),
    Column("Who", lambda a: a.responsible),
    Column("Details", lambda a: a.sentence, tooltip=lambda a: a.sentence),
]
STATUS_COLUMN = 2


@dataclass(frozen=True)
class Loaded:
    """What the home page shows: the dashboard and whether anyone is on the staff list yet."""

    home: Home
    staff: int


def read_home_page(db: Database, today: dt.date) -> Loaded:
    """Read the home page but its trends in one snapshot (runs off the GUI thread): what needs
    doing shows first; the month-by-month charts follow (:func:`read_trends`)."""
    return db.read(
        lambda s: Loaded(home_in(s, today, trends=False), staff_counts_in(s)["active"]),
    )


def read_trends(db: Database, today: dt.date) -> Trends:
    """The home page's charts: 12 month ends worked out from the records (off the GUI thread)."""
    return db.read(lambda s: trends_in(s, on_in(s, today)))


class _Mark(QWidget):
    """A count's level icon, painted from the icon itself (not a pixmap taken once), so that an
    icon asked for before qtawesome's fonts are loaded shows once they are (see ui.icons)."""

    SIZE = 16

    def __init__(self) -> None:
        super().__init__()
        self.setFixedSize(18, self.SIZE)
        self.icon = QIcon()

    def set_icon(self, shown: QIcon) -> None:
        self.icon = shown
        self.update()

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        self.icon.paint(painter, QRect(0, 0, self.SIZE, self.SIZE))
        painter.end()


class CardWidget(QFrame):
    """One area's card: its counts (icon, colour and words), each a link to the page filtered
    to exactly those items, its first items, and Show (the most urgent count's link)."""

    focus_requested = Signal(str)  # the field of the count chosen

    def __init__(self, key: str, spec: CardSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.spec = spec
        self.setObjectName("homeCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(f"<b>{spec.title}</b>")
        self.count_labels: dict[str, QLabel] = {}
        self.items = QLabel()
        self.items.setWordWrap(True)
        self.items.setTextFormat(Qt.TextFormat.PlainText)
        self.items.setObjectName("cardItems")
        self.show_button = QPushButton(icon("fa5s.arrow-right"), "Show")
        self.show_button.setAccessibleName(f"Show {spec.title}")
        v = QVBoxLayout(self)
        v.setSpacing(3)
        v.addWidget(self.title)
        for line in spec.lines:
            row = QHBoxLayout()
            mark = _Mark()
            text = QLabel()
            text.setTextInteractionFlags(
                Qt.TextInteractionFlag.LinksAccessibleByMouse
                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            )
            text.setToolTip(f"Show these on the {spec.page.replace('_', ' ')} page")
            text.linkActivated.connect(self.focus_requested.emit)
            row.addWidget(mark)
            row.addWidget(text, 1)
            v.addLayout(row)
            self.count_labels[line.field] = text
            text.setProperty("mark", mark)
        v.addWidget(self.items, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.show_button)
        v.addLayout(bottom)
        self.values: dict[str, int] = {}
        self.show_button.clicked.connect(
            lambda: self.focus_requested.emit(self.spec.show_field(self.values))
        )

    def set_card(self, card: Card) -> None:
        """Show ``card``'s counts and its most urgent items."""
        values = self.values = counts(card)
        for line in self.spec.lines:
            n = values[line.field]
            label = self.count_labels[line.field]
            mark: _Mark = label.property("mark")
            if line.level is None:
                shown = icon("fa5s.folder-open", "#546e7a")
                colour = "#37474f"
                word = ""
            else:
                level = line.level if n else Level.IN_DATE
                shown = level_icon(level)
                colour = level_colour(level).name()
                word = "" if n else " (none)"
            mark.set_icon(shown)
            label.setText(
                f"<a href='{line.field}' style='color:{colour}; text-decoration:none'>"
                f"<b>{n}</b> {line.words_for(n)}{word}</a>"
            )
        first = card.first[:CARD_ITEMS]
        self.items.setText(
            "\n".join(f"• {i.reference}: {self.item_words(i)}" for i in first)
            or "Nothing needs doing."
        )

    def item_words(self, item: Attention) -> str:
        """What is wrong with one of the card's items, in the words of its count's line."""
        for line in self.spec.lines:
            if line.level is item.level and line.item:
                return line.item
        return level_text(item.level, item.area).lower()

    def count_text(self, field: str) -> str:
        """The words shown for the count ``field`` (for tests)."""
        return self.count_labels[field].text()


class HomePage(Page):
    """Cards, the to-do list, readiness by key question, trends, and what is new since the
    manager last opened the app; for an empty database, the steps to get started."""

    title = "Home"
    icon_name = "fa5s.tachometer-alt"
    area_requested = Signal(str, str)  # area key, focus (see Page.focus)
    item_requested = Signal(object)  # an Attention item whose record to open (see Page.open_item)
    settings_requested = Signal()
    trends_shown = Signal()  # the charts have their data (they load after the rest of the page)
    import_chosen = Signal(str)  # importer name

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded: Loaded | None = None
        self.last_opened: dt.date | None = None
        self.heading = QLabel()
        self.heading.setObjectName("homeHeading")

        # First run ---------------------------------------------------------------------------
        self.first_run = QWidget()
        fr = QVBoxLayout(self.first_run)
        fr.addWidget(QLabel("<h2>Welcome to Provider Desk</h2>"))
        intro = QLabel(
            "There is nobody on the staff list yet. Three steps get you started; the home "
            "page then shows what needs doing across your service."
        )
        intro.setWordWrap(True)
        fr.addWidget(intro)
        self.step_buttons: list[QPushButton] = []
        for n, (text, icon_name, slot) in enumerate(
            (
                ("Organisation settings…", "fa5s.building", self.settings_requested.emit),
                (
                    "Import staff…",
                    "fa5s.users",
                    partial(self.import_chosen.emit, "staff"),
                ),
                (
                    "Import training…",
                    "fa5s.graduation-cap",
                    partial(self.import_chosen.emit, "training"),
                ),
            ),
            start=1,
        ):
            row = QHBoxLayout()
            row.addWidget(QLabel(f"<b>{n}.</b>"))
            b = QPushButton(icon(icon_name), text)
            b.clicked.connect(slot)
            self.step_buttons.append(b)
            row.addWidget(b)
            row.addStretch(1)
            fr.addLayout(row)
        fr.addStretch(1)

        # Dashboard ---------------------------------------------------------------------------
        content = QWidget()
        v = QVBoxLayout(content)
        self.news = QLabel()
        self.news.setWordWrap(True)
        self.news.setTextFormat(Qt.TextFormat.RichText)
        self.news.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.news.linkActivated.connect(self._on_news_link)
        self.news_items: list[Attention] = []
        news_box = QGroupBox("Since you last opened")
        QVBoxLayout(news_box).addWidget(self.news)
        v.addWidget(news_box)

        self.cards: dict[str, CardWidget] = {}
        grid = QGridLayout()
        for i, (key, spec) in enumerate(CARDS.items()):
            card = CardWidget(key, spec)
            card.focus_requested.connect(partial(self._on_card_focus, key))
            self.cards[key] = card
            grid.addWidget(card, i // 4, i % 4)
        v.addLayout(grid)

        todo_box = QGroupBox("To do")
        tv = QVBoxLayout(todo_box)
        self.area_filter = QComboBox()
        self.person_filter = QComboBox()
        for combo in (self.area_filter, self.person_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.todo_count = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Area"))
        filters.addWidget(self.area_filter)
        filters.addWidget(QLabel("Responsible"))
        filters.addWidget(self.person_filter)
        filters.addStretch(1)
        filters.addWidget(self.todo_count)
        tv.addLayout(filters)
        self.todo_model: RowTableModel[Attention] = RowTableModel(TODO_COLUMNS, self)
        self.todo_proxy = RowFilterProxy(self)
        self.todo_proxy.setSourceModel(self.todo_model)
        # Its columns have set widths (see _set_todo_widths): nothing to measure at each load.
        self.todo_table: QTableView = make_table_view(
            self.todo_proxy, sort_column=STATUS_COLUMN, fit=False
        )
        self._set_todo_widths()
        self.todo_table.setMinimumHeight(260)
        self.todo_table.setToolTip("Double-click or press Enter to open the item's page")
        install_row_menu(
            self.todo_table,
            lambda item: row_entries(
                open_=("Open", lambda: self.item_requested.emit(item)),
                reference=item.reference,
            ),
        )
        tv.addWidget(self.todo_table)
        v.addWidget(todo_box)

        ready_box = QGroupBox("Inspection readiness by key question")
        self.ready_box = ready_box
        rv = QVBoxLayout(ready_box)
        self.ready_grid = QGridLayout()
        rv.addLayout(self.ready_grid)
        self.statement_lists: list[QListWidget] = []
        self.reasons = QTextBrowser()
        self.reasons.setMaximumHeight(90)
        self.reasons.setPlaceholderText("Choose a quality statement to see why it has its colour.")
        rv.addWidget(self.reasons)
        v.addWidget(ready_box)

        trends_box = QGroupBox("Trends (last 12 months)")
        th = QHBoxLayout(trends_box)
        self.training_chart = MonthChart("Training compliance", percent=True)
        self.supervision_chart = MonthChart("Supervision compliance", percent=True)
        self.complaints_chart = MonthChart("Complaints received per month", percent=False)
        self.audit_chart = MonthChart("Average audit score", percent=True)
        for chart in (
            self.training_chart,
            self.supervision_chart,
            self.complaints_chart,
            self.audit_chart,
        ):
            th.addWidget(chart)
        v.addWidget(trends_box)

        self.dashboard = QScrollArea()
        self.dashboard.setWidgetResizable(True)
        self.dashboard.setFrameShape(QFrame.Shape.NoFrame)
        self.dashboard.setWidget(content)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.dashboard)
        self.stack.addWidget(self.first_run)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.stack, 1)

        self.area_filter.currentIndexChanged.connect(self.apply_filters)
        self.person_filter.currentIndexChanged.connect(self.apply_filters)
        self.todo_table.doubleClicked.connect(self._on_todo_activated)
        self.todo_table.activated.connect(self._on_todo_activated)
        ctx.changed.connect(self._on_ctx_changed)

    # Loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the home page in the background."""
        self.ctx.tasks.run(
            partial(read_home_page, self.ctx.db, self.ctx.today()),
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading the home page"),
        )

    def _on_ctx_changed(self, _changes: Changes) -> None:
        # Every card reads every area, so any change (and the new day) reloads it.
        if self.loaded is not None:
            self.refresh()

    def set_last_opened(self, day: dt.date | None) -> None:
        """The day the app was last opened before this run (None: never)."""
        self.last_opened = day

    def is_first_run(self) -> bool:
        """True while the steps to get started are shown instead of the dashboard."""
        return self.stack.currentWidget() is self.first_run

    def _on_loaded(self, loaded: Loaded) -> None:
        self.loaded = loaded
        home = loaded.home
        who = home.provider or "Home"
        title = f"<h2>{who} — as on {format_date(home.today)}</h2>"
        if loaded.staff == 0:
            # Zeros (and audits "never done") would say nothing useful yet: show the steps.
            self.heading.setText(title)
            self.stack.setCurrentWidget(self.first_run)
            return
        self.heading.setText(
            f"{title}{len(home.todo)} things to do, {home.late} overdue or missing."
        )
        self.stack.setCurrentWidget(self.dashboard)
        self._show_news(home)
        for key, card in home.figures.cards().items():
            if key in self.cards:
                self.cards[key].set_card(card)
        self._show_todo(home)
        self._show_readiness(home)
        self._load_trends(home.today)

    def _show_news(self, home: Home) -> None:
        if self.last_opened is None:
            self.news.setText(
                "This is the first time Provider Desk has been opened here: everything overdue "
                "is in the To do list below."
            )
            self.news_items = []
            return
        new = newly_overdue(home.todo, today=home.today, last_opened=self.last_opened)
        self.news_items = new[:NEWS_ITEMS]
        since = format_date(self.last_opened)
        if not new:
            self.news.setText(f"Nothing has become overdue since {since}.")
            return
        lines = [f"{len(new)} became overdue since {since}:"]
        lines += [
            f"• <a href='{n}'>{escape(i.reference)}</a>: {escape(i.sentence)}"
            for n, i in enumerate(self.news_items)
        ]
        if len(new) > NEWS_ITEMS:
            lines.append(f"… and {len(new) - NEWS_ITEMS} more in the To do list.")
        self.news.setText("<br>".join(lines))

    def _on_news_link(self, link: str) -> None:
        if link.isdigit() and int(link) < len(self.news_items):
            self.item_requested.emit(self.news_items[int(link)])

    def _show_todo(self, home: Home) -> None:
        areas = [a for a in AREA_TITLES if any(i.area == a for i in home.todo)]
        refill_combo(self.area_filter, "All areas", areas, [AREA_TITLES[a] for a in areas])
        people = sorted({i.responsible for i in home.todo if i.responsible}, key=str.lower)
        refill_combo(self.person_filter, "Everyone", people)
        self._set_predicate(refilter=False)  # the rows arriving are filtered once, with it
        self.todo_model.set_rows(home.todo)
        self._show_todo_count()
        self._set_todo_widths()

    def _set_todo_widths(self) -> None:
        for column, width in enumerate((110, 220, 110, 100, 130)):
            self.todo_table.setColumnWidth(column, width)

    def apply_filters(self) -> None:
        """Show the to-do items of the chosen area and person."""
        self._set_predicate()
        self._show_todo_count()

    def _set_predicate(self, *, refilter: bool = True) -> None:
        area, person = self.area_filter.currentData(), self.person_filter.currentData()
        self.todo_proxy.set_predicate(
            lambda i: (not area or i.area == area) and (not person or i.responsible == person),
            refilter=refilter,
        )

    def _show_todo_count(self) -> None:
        shown, total = self.todo_proxy.rowCount(), self.todo_model.rowCount()
        self.todo_count.setText(f"{shown} of {total} shown" if shown != total else f"{total}")

    def _show_readiness(self, home: Home) -> None:
        while self.ready_grid.count():
            item = self.ready_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.statement_lists = []
        for col, kq in enumerate(home.readiness.key_questions):
            header = QLabel(
                f"<b>{kq.name}</b><br>{kq.count(Colour.GREEN)} green, "
                f"{kq.count(Colour.AMBER)} amber, {kq.count(Colour.RED)} red"
            )
            statements = QListWidget()
            statements.setAccessibleName(f"{kq.name} quality statements")
            statements.setWordWrap(True)
            statements.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            statements.setMinimumHeight(300)
            for st in kq.statements:
                level, words = READINESS_STYLE[st.colour]
                entry = QListWidgetItem(level_icon(level), f"{st.name}\n{words}")
                entry.setBackground(level_fill(level))
                entry.setData(ROW_ROLE, st)
                entry.setToolTip("\n".join(st.reasons))
                statements.addItem(entry)
            statements.currentItemChanged.connect(partial(self._on_statement, statements))
            self.statement_lists.append(statements)
            self.ready_grid.addWidget(header, 0, col)
            self.ready_grid.addWidget(statements, 1, col)
        self.reasons.clear()

    def _on_statement(
        self, source: QListWidget, current: QListWidgetItem | None, _previous: object
    ) -> None:
        if current is None:
            return
        for other in self.statement_lists:
            if other is not source:
                other.blockSignals(True)
                other.clearSelection()
                other.setCurrentRow(-1)
                other.blockSignals(False)
        st: StatementReadiness = current.data(ROW_ROLE)
        _level, words = READINESS_STYLE[st.colour]
        lines = "".join(f"<li>{r}</li>" for r in st.reasons)
        self.reasons.setHtml(f"<b>{st.name}</b> — {words}<ul>{lines}</ul>")

    def _load_trends(self, today: dt.date) -> None:
        self.ctx.tasks.run(
            partial(read_trends, self.ctx.db, today),
            on_success=self._show_trends,
            on_failure=lambda e: show_failure(self, e, "Loading the trends"),
        )

    def _show_trends(self, trends: Trends) -> None:
        months = trends.months
        self.training_chart.set_points([(m.month, m.training_percent) for m in months])
        self.supervision_chart.set_points([(m.month, m.supervision_percent) for m in months])
        self.complaints_chart.set_points([(m.month, float(m.complaints_received)) for m in months])
        self.audit_chart.set_points(trends.audit_score_months())
        self.trends_shown.emit()

    # Going to an area ----------------------------------------------------------------------
    def _on_card_focus(self, key: str, field: str) -> None:
        self.area_requested.emit(CARDS[key].page, f"{key}:{field}")

    def _on_todo_activated(self, index: object) -> None:
        row = self.todo_table.currentIndex()
        item = self.todo_proxy.data(row, ROW_ROLE) if row.isValid() else None
        if isinstance(item, Attention):
            self.item_requested.emit(item)
