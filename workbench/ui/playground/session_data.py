"""What the comparison page does with its session besides chatting: the saved-sessions menu, and
turning answers into examples (Add to dataset, Save as preference pair) as one undo step each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from workbench.core.playground.examples import add_to_workspace, example_from_turn, pair_from_turn
from workbench.ui.playground.example_dialogs import AddExampleDialog, PreferencePairDialog, conversation_text
from workbench.ui.playground.targets import display_model

if TYPE_CHECKING:
    from workbench.ui.playground.compare_page import ComparePage

MENU_SESSIONS = 30


class SessionData(QObject):
    def __init__(self, page: ComparePage) -> None:
        super().__init__(page)
        self.page = page
        self.dialog = None  # the open dialog, if any (tests drive it)

    # --- sessions menu ----------------------------------------------------------------------------------
    def fill_sessions_menu(self) -> None:
        page = self.page
        menu = page.sessions_menu
        menu.clear()
        menu.addAction("New Session", page.new_session)
        if page.store is None:
            return
        try:
            sessions = page.store.sessions()
        except Exception as exc:  # noqa: BLE001
            menu.addAction(f"Sessions cannot be read: {exc}").setEnabled(False)
            return
        if sessions:
            menu.addSeparator()
        current = page.session.id if page.session is not None else None
        for s in sessions[:MENU_SESSIONS]:
            models = " vs ".join(display_model(m, page.presentation) for m in s.models)
            text = f"{s.title or 'Untitled'} — {models} ({s.turns} message{'s' if s.turns != 1 else ''})"
            action = menu.addAction(text.replace("&", "&&"), lambda i=s.id: page.open_session(i))
            action.setCheckable(True)
            action.setChecked(s.id == current)
        if current is not None:
            menu.addSeparator()
            menu.addAction("Delete This Session…", self.delete_current)

    def delete_current(self, confirm: bool = True) -> None:
        page = self.page
        if page.session is None or page.session.id is None or page.store is None or page.running:
            return
        if confirm and QMessageBox.question(page, "Delete session",
                                            f"Delete the session “{page.session.title}”? This cannot be undone.") \
                != QMessageBox.StandardButton.Yes:
            return
        page.store.delete_session(page.session.id)
        page.session = None
        page.new_session()

    # --- answers into examples ------------------------------------------------------------------------
    def _can_add(self) -> bool:
        page = self.page
        if page.ws is None or page.push is None:
            page.show_notice("Open a workspace to add examples to it.")
            return False
        return page.session is not None and not page.running

    def open_add_dialog(self, col: int, turn: int) -> AddExampleDialog | None:
        """Add to dataset: the conversation up to ``turn`` with column ``col``'s answer, editable."""
        if not self._can_add():
            return None
        session = self.page.session
        context = conversation_text(session.context(col, turn), session.system_for(col))
        answer = session.columns[col].turns[turn].answer.text
        dialog = AddExampleDialog(context, answer, lambda edited: example_from_turn(session, col, turn, edited),
                                  self.page)
        dialog.accepted.connect(lambda: self._commit(dialog))
        self._show(dialog)
        return dialog

    def open_pair_dialog(self, col: int, turn: int) -> PreferencePairDialog | None:
        """Save as preference pair: ``col``'s answer preferred over another column's, both editable."""
        if not self._can_add():
            return None
        page = self.page
        session = page.session
        hidden = page.blind.isChecked() and not page.revealed
        order = page.blind_order()
        columns = []
        for i, chat in enumerate(session.columns):
            text = chat.turns[turn].answer.text
            if text.strip():
                name = f"Answer {'ABCD'[order.index(i)]}" if hidden else display_model(chat.target.name,
                                                                                        page.presentation)
                columns.append((i, name, text))
        if len(columns) < 2:
            page.show_notice("A preference pair needs two answers with text.")
            return None
        context = conversation_text(session.context(col, turn), session.system_for(col))
        originals = {i: text for i, _n, text in columns}

        def make(chosen: int, rejected: int, chosen_text: str, rejected_text: str):
            return pair_from_turn(session, turn, chosen, rejected,
                                  chosen_text=None if chosen_text == originals[chosen] else chosen_text,
                                  rejected_text=None if rejected_text == originals[rejected] else rejected_text)

        dialog = PreferencePairDialog(context, columns, col, make, page)
        dialog.accepted.connect(lambda: self._commit(dialog))
        self._show(dialog)
        return dialog

    def _show(self, dialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()  # window-modal, without a nested event loop

    def _commit(self, dialog) -> None:
        example, source = dialog.built
        split, tags = dialog.chosen_split(), dialog.chosen_tags()
        ws = self.page.ws
        label = ("Add preference pair from Playground" if "preferred_output" in example
                 else "Add example from Playground")
        stack = self.page.undo_stack
        before = stack.index() if stack is not None else None
        self.page.push(label, lambda: add_to_workspace(ws, [example], source, split=split, tags=tags, label=label))
        if stack is not None and stack.index() == before:
            return  # not added (the window is finishing a background edit and said so)
        self.page.message.emit(f"{label.replace('Add ', 'Added ').replace(' from Playground', '')} to the {split} "
                               "split (Ctrl+Z undoes it).")
