//! A dossier's business status: the national status codes, the portal's finer workflow state,
//! and the named actions that move a dossier from one state to the next.
//!
//! Two layers:
//!
//! * [`DossierStatus`] is exactly the national list (codes 1–10) that provincial systems sync
//!   with the national portal. Nothing is added to it.
//! * [`DossierState`] is what the workflow needs to know: it adds the portal-only states
//!   `Draft` (no national code) and `Withdrawn`, and remembers *where* a supplement was
//!   requested (at reception or during processing) and what a withdrawal request interrupted,
//!   because that decides where the dossier goes next. [`DossierState::national_status`]
//!   projects it onto the national list.
//!
//! The life of a dossier (DOMAIN.md, "A dossier's life"), as a table of [`DossierAction`]s —
//! every pair not listed is refused by [`DossierState::apply`]:
//!
//! | from | action | to |
//! | --- | --- | --- |
//! | Draft | Submit | Submitted (1) |
//! | Submitted | Accept | Received (2) |
//! | Submitted | RefuseAtReception | RefusedAtReception (3) |
//! | Submitted | RequestSupplement | SupplementRequested(Reception) (5) |
//! | SupplementRequested(Reception) | Supplement | Submitted (1): back in the desk's queue |
//! | SupplementRequested(Reception) | RefuseAtReception | RefusedAtReception (3): never completed |
//! | Received | StartProcessing | InProcess (4) |
//! | InProcess | RequestSupplement | SupplementRequested(Processing) (5): the clock stops |
//! | SupplementRequested(Processing) | Supplement | InProcess (4): the clock restarts |
//! | InProcess | RequestPayment | AwaitingPayment (6): the clock stops |
//! | AwaitingPayment | PaymentSettled | InProcess (4): the clock restarts |
//! | InProcess, SupplementRequested(Processing), AwaitingPayment | Stop | Stopped (8) |
//! | InProcess | Decide | Decided (9): result ready (a grant *or* a reasoned refusal to grant) |
//! | Decided | Return | Returned (10) |
//! | Submitted, Received, InProcess, SupplementRequested(_), AwaitingPayment | RequestWithdrawal | WithdrawalRequested(previous) (7) |
//! | WithdrawalRequested(previous) | ConfirmWithdrawal | Withdrawn (7) |
//! | WithdrawalRequested(previous) | DeclineWithdrawal | previous |
//!
//! Rules that depend on history rather than on the current state — a supplement may be
//! requested only **once** at reception and once during processing; a late dossier may be
//! rescheduled only once — are checked by the service layer against the dossier's event log.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The national dossier status list (codes 1–10). Serialised as its numeric code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
#[repr(u8)]
pub enum DossierStatus {
    /// 1 — Mới đăng ký.
    Submitted = 1,
    /// 2 — Được tiếp nhận.
    Received = 2,
    /// 3 — Không được tiếp nhận.
    RefusedAtReception = 3,
    /// 4 — Đang xử lý.
    InProcess = 4,
    /// 5 — Yêu cầu bổ sung giấy tờ.
    SupplementRequested = 5,
    /// 6 — Yêu cầu thực hiện nghĩa vụ tài chính.
    AwaitingPayment = 6,
    /// 7 — Công dân yêu cầu rút hồ sơ.
    WithdrawalRequested = 7,
    /// 8 — Dừng xử lý.
    Stopped = 8,
    /// 9 — Đã xử lý xong.
    Decided = 9,
    /// 10 — Đã trả kết quả.
    Returned = 10,
}

/// A number that is not a national status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{0} is not a national dossier status code (1–10)")]
pub struct UnknownStatusCode(pub u8);

impl UnknownStatusCode {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        "dossier_status_unknown_code"
    }
}

impl DossierStatus {
    /// All national statuses in code order.
    pub const ALL: [DossierStatus; 10] = [
        Self::Submitted,
        Self::Received,
        Self::RefusedAtReception,
        Self::InProcess,
        Self::SupplementRequested,
        Self::AwaitingPayment,
        Self::WithdrawalRequested,
        Self::Stopped,
        Self::Decided,
        Self::Returned,
    ];

    /// The national code, 1–10.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The status with national code `code`, if there is one.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The official Vietnamese name.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Submitted => "Mới đăng ký",
            Self::Received => "Được tiếp nhận",
            Self::RefusedAtReception => "Không được tiếp nhận",
            Self::InProcess => "Đang xử lý",
            Self::SupplementRequested => "Yêu cầu bổ sung giấy tờ",
            Self::AwaitingPayment => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Self::WithdrawalRequested => "Công dân yêu cầu rút hồ sơ",
            Self::Stopped => "Dừng xử lý",
            Self::Decided => "Đã xử lý xong",
            Self::Returned => "Đã trả kết quả",
        }
    }

    /// English name.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Submitted => "Submitted",
            Self::Received => "Received",
            Self::RefusedAtReception => "Refused at reception",
            Self::InProcess => "In process",
            Self::SupplementRequested => "Supplement requested",
            Self::AwaitingPayment => "Awaiting payment of fees or obligations",
            Self::WithdrawalRequested => "Withdrawal requested by the citizen",
            Self::Stopped => "Processing stopped",
            Self::Decided => "Decided",
            Self::Returned => "Result returned",
        }
    }

    /// Whether nothing more happens to the dossier: refused, stopped or returned.
    ///
    /// Code 7 is *not* terminal here: nationally it covers both a pending withdrawal request
    /// and a confirmed withdrawal; [`DossierState::is_terminal`] tells them apart.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::RefusedAtReception | Self::Stopped | Self::Returned)
    }

    /// Whether the processing-time clock runs (coarse, national view): yes once received and
    /// while in process or while a withdrawal request is answered; no before acceptance, while
    /// the citizen owes papers or payment, once decided, and in terminal states.
    /// [`DossierState::clock_running`] is exact.
    pub fn clock_running(self) -> bool {
        matches!(self, Self::Received | Self::InProcess | Self::WithdrawalRequested)
    }
}

impl fmt::Display for DossierStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_vi())
    }
}

impl TryFrom<u8> for DossierStatus {
    type Error = UnknownStatusCode;
    fn try_from(code: u8) -> Result<Self, Self::Error> {
        Self::from_code(code).ok_or(UnknownStatusCode(code))
    }
}

impl From<DossierStatus> for u8 {
    fn from(status: DossierStatus) -> Self {
        status.code()
    }
}

/// Where in the dossier's life a supplement was requested; decides where it goes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Requested by the desk before accepting; the supplemented dossier returns to the desk.
    Reception,
    /// Requested by the processing agency; the clock stops until the papers arrive.
    Processing,
}

/// The states from which a citizen may ask to withdraw (anything open and not yet decided);
/// remembered so that a declined request puts the dossier back where it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawableState {
    /// Submitted, not yet accepted.
    Submitted,
    /// Accepted, not yet in process.
    Received,
    /// In process.
    InProcess,
    /// Waiting for the citizen's supplement.
    SupplementRequested(Stage),
    /// Waiting for the citizen's payment.
    AwaitingPayment,
}

impl WithdrawableState {
    /// All withdrawable states.
    pub const ALL: [WithdrawableState; 6] = [
        Self::Submitted,
        Self::Received,
        Self::InProcess,
        Self::SupplementRequested(Stage::Reception),
        Self::SupplementRequested(Stage::Processing),
        Self::AwaitingPayment,
    ];

    /// The same state as a [`DossierState`].
    pub fn state(self) -> DossierState {
        match self {
            Self::Submitted => DossierState::Submitted,
            Self::Received => DossierState::Received,
            Self::InProcess => DossierState::InProcess,
            Self::SupplementRequested(stage) => DossierState::SupplementRequested(stage),
            Self::AwaitingPayment => DossierState::AwaitingPayment,
        }
    }

    fn from_state(state: DossierState) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.state() == state)
    }
}

/// The workflow state of a dossier: the national statuses, refined where the workflow needs
/// more, plus `Draft` and `Withdrawn`. See the module documentation for the transition table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierState {
    /// Being prepared by the applicant; not submitted, no national code, invisible to officers.
    Draft,
    /// 1 — submitted, in the desk's queue.
    Submitted,
    /// 2 — accepted by the desk; receipt and appointment issued; the clock runs.
    Received,
    /// 3 — refused at reception (terminal).
    RefusedAtReception,
    /// 4 — being processed.
    InProcess,
    /// 5 — waiting for the citizen's supplement, requested at the given stage.
    SupplementRequested(Stage),
    /// 6 — waiting for fees or financial obligations to be paid.
    AwaitingPayment,
    /// 7 — the citizen asked to withdraw; the agency must confirm or decline.
    WithdrawalRequested(WithdrawableState),
    /// 7 — withdrawal confirmed (terminal).
    Withdrawn,
    /// 8 — processing stopped (terminal).
    Stopped,
    /// 9 — decided; the result waits to be returned.
    Decided,
    /// 10 — result returned (terminal).
    Returned,
}

/// A named action that moves a dossier; what the back office and the citizen actually do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierAction {
    /// The applicant submits a draft (online or at the desk).
    Submit,
    /// The desk accepts a complete dossier (issues the receipt and appointment slip).
    Accept,
    /// The desk refuses to receive the dossier, with a reason.
    RefuseAtReception,
    /// The desk (before accepting) or the agency (while processing) asks for more papers.
    RequestSupplement,
    /// The citizen provides the requested papers.
    Supplement,
    /// The accepted dossier is handed to the processing workflow.
    StartProcessing,
    /// The agency asks the citizen to pay fees or financial obligations.
    RequestPayment,
    /// The payment is confirmed.
    PaymentSettled,
    /// The citizen asks to withdraw the dossier.
    RequestWithdrawal,
    /// The agency confirms the withdrawal.
    ConfirmWithdrawal,
    /// The agency declines the withdrawal (e.g. it is already being decided).
    DeclineWithdrawal,
    /// The agency stops processing, with a reason (notice form 05).
    Stop,
    /// Processing is complete and the result is ready.
    Decide,
    /// The result is handed over (online, by post or at the desk).
    Return,
}

/// An action that is not allowed in the dossier's current state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
#[error("action {action:?} is not allowed in state {from:?}")]
pub struct TransitionError {
    /// The state the dossier was in.
    pub from: DossierState,
    /// The refused action.
    pub action: DossierAction,
}

impl TransitionError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        "dossier_transition_not_allowed"
    }
}

impl DossierAction {
    /// All actions.
    pub const ALL: [DossierAction; 14] = [
        Self::Submit,
        Self::Accept,
        Self::RefuseAtReception,
        Self::RequestSupplement,
        Self::Supplement,
        Self::StartProcessing,
        Self::RequestPayment,
        Self::PaymentSettled,
        Self::RequestWithdrawal,
        Self::ConfirmWithdrawal,
        Self::DeclineWithdrawal,
        Self::Stop,
        Self::Decide,
        Self::Return,
    ];

    /// Vietnamese name (buttons, timeline).
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Submit => "Nộp hồ sơ",
            Self::Accept => "Tiếp nhận hồ sơ",
            Self::RefuseAtReception => "Từ chối tiếp nhận",
            Self::RequestSupplement => "Yêu cầu bổ sung, hoàn thiện hồ sơ",
            Self::Supplement => "Bổ sung hồ sơ",
            Self::StartProcessing => "Chuyển xử lý",
            Self::RequestPayment => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Self::PaymentSettled => "Đã thực hiện nghĩa vụ tài chính",
            Self::RequestWithdrawal => "Yêu cầu rút hồ sơ",
            Self::ConfirmWithdrawal => "Đồng ý rút hồ sơ",
            Self::DeclineWithdrawal => "Không đồng ý rút hồ sơ",
            Self::Stop => "Dừng xử lý",
            Self::Decide => "Hoàn thành xử lý",
            Self::Return => "Trả kết quả",
        }
    }

    /// English name.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Submit => "Submit",
            Self::Accept => "Accept",
            Self::RefuseAtReception => "Refuse at reception",
            Self::RequestSupplement => "Request a supplement",
            Self::Supplement => "Supplement",
            Self::StartProcessing => "Start processing",
            Self::RequestPayment => "Request payment",
            Self::PaymentSettled => "Payment settled",
            Self::RequestWithdrawal => "Request withdrawal",
            Self::ConfirmWithdrawal => "Confirm withdrawal",
            Self::DeclineWithdrawal => "Decline withdrawal",
            Self::Stop => "Stop processing",
            Self::Decide => "Complete processing",
            Self::Return => "Return the result",
        }
    }
}

impl DossierState {
    /// Every state, for exhaustive checks and admin screens.
    pub const ALL: [DossierState; 18] = [
        Self::Draft,
        Self::Submitted,
        Self::Received,
        Self::RefusedAtReception,
        Self::InProcess,
        Self::SupplementRequested(Stage::Reception),
        Self::SupplementRequested(Stage::Processing),
        Self::AwaitingPayment,
        Self::WithdrawalRequested(WithdrawableState::Submitted),
        Self::WithdrawalRequested(WithdrawableState::Received),
        Self::WithdrawalRequested(WithdrawableState::InProcess),
        Self::WithdrawalRequested(WithdrawableState::SupplementRequested(Stage::Reception)),
        Self::WithdrawalRequested(WithdrawableState::SupplementRequested(Stage::Processing)),
        Self::WithdrawalRequested(WithdrawableState::AwaitingPayment),
        Self::Withdrawn,
        Self::Stopped,
        Self::Decided,
        Self::Returned,
    ];

    /// The state after `action`, or a [`TransitionError`] if the action is not allowed now.
    /// This is the single source of truth for the transition table (module docs).
    pub fn apply(self, action: DossierAction) -> Result<DossierState, TransitionError> {
        use DossierAction as A;
        use DossierState as S;
        let next = match (self, action) {
            (S::Draft, A::Submit) => Some(S::Submitted),
            (S::Submitted, A::Accept) => Some(S::Received),
            (S::Submitted | S::SupplementRequested(Stage::Reception), A::RefuseAtReception) => {
                Some(S::RefusedAtReception)
            }
            (S::Submitted, A::RequestSupplement) => Some(S::SupplementRequested(Stage::Reception)),
            (S::SupplementRequested(Stage::Reception), A::Supplement) => Some(S::Submitted),
            (S::Received, A::StartProcessing) => Some(S::InProcess),
            (S::InProcess, A::RequestSupplement) => Some(S::SupplementRequested(Stage::Processing)),
            (S::SupplementRequested(Stage::Processing), A::Supplement) => Some(S::InProcess),
            (S::InProcess, A::RequestPayment) => Some(S::AwaitingPayment),
            (S::AwaitingPayment, A::PaymentSettled) => Some(S::InProcess),
            (S::InProcess | S::SupplementRequested(Stage::Processing) | S::AwaitingPayment, A::Stop) => {
                Some(S::Stopped)
            }
            (S::InProcess, A::Decide) => Some(S::Decided),
            (S::Decided, A::Return) => Some(S::Returned),
            (state, A::RequestWithdrawal) => WithdrawableState::from_state(state).map(S::WithdrawalRequested),
            (S::WithdrawalRequested(_), A::ConfirmWithdrawal) => Some(S::Withdrawn),
            (S::WithdrawalRequested(previous), A::DeclineWithdrawal) => Some(previous.state()),
            _ => None,
        };
        next.ok_or(TransitionError { from: self, action })
    }

    /// The actions allowed now, in [`DossierAction::ALL`] order (to show the right buttons).
    pub fn allowed_actions(self) -> Vec<DossierAction> {
        DossierAction::ALL.into_iter().filter(|a| self.apply(*a).is_ok()).collect()
    }

    /// The national status this state is reported as; `None` for `Draft`.
    pub fn national_status(self) -> Option<DossierStatus> {
        use DossierStatus as N;
        match self {
            Self::Draft => None,
            Self::Submitted => Some(N::Submitted),
            Self::Received => Some(N::Received),
            Self::RefusedAtReception => Some(N::RefusedAtReception),
            Self::InProcess => Some(N::InProcess),
            Self::SupplementRequested(_) => Some(N::SupplementRequested),
            Self::AwaitingPayment => Some(N::AwaitingPayment),
            Self::WithdrawalRequested(_) | Self::Withdrawn => Some(N::WithdrawalRequested),
            Self::Stopped => Some(N::Stopped),
            Self::Decided => Some(N::Decided),
            Self::Returned => Some(N::Returned),
        }
    }

    /// The national code (1–10); `None` for `Draft`.
    pub fn national_code(self) -> Option<u8> {
        self.national_status().map(DossierStatus::code)
    }

    /// Whether nothing more can happen: refused, withdrawn, stopped or returned.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::RefusedAtReception | Self::Withdrawn | Self::Stopped | Self::Returned)
    }

    /// Whether the processing-time clock runs: from acceptance until decided, except while the
    /// citizen owes a supplement or a payment. While a withdrawal request is pending, the
    /// clock does what it did before the request.
    pub fn clock_running(self) -> bool {
        match self {
            Self::Received | Self::InProcess => true,
            Self::WithdrawalRequested(previous) => previous.state().clock_running(),
            _ => false,
        }
    }

    /// Vietnamese label: the national label, or `Hồ sơ nháp` / `Đã rút hồ sơ`.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Draft => "Hồ sơ nháp",
            Self::Withdrawn => "Đã rút hồ sơ",
            other => other.national_status().map_or("", DossierStatus::label_vi),
        }
    }

    /// English label: the national label, or `Draft` / `Withdrawn`.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Withdrawn => "Withdrawn",
            other => other.national_status().map_or("", DossierStatus::label_en),
        }
    }
}

/// Whether some single action leads from `from` to `to`.
pub fn can_transition(from: DossierState, to: DossierState) -> bool {
    DossierAction::ALL.into_iter().any(|a| from.apply(a) == Ok(to))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use DossierAction as A;
    use DossierState as S;
    use WithdrawableState as W;

    /// The expected table, written out independently of `apply`.
    fn expected_table() -> Vec<(DossierState, DossierAction, DossierState)> {
        let reception = S::SupplementRequested(Stage::Reception);
        let processing = S::SupplementRequested(Stage::Processing);
        let mut t = vec![
            (S::Draft, A::Submit, S::Submitted),
            (S::Submitted, A::Accept, S::Received),
            (S::Submitted, A::RefuseAtReception, S::RefusedAtReception),
            (S::Submitted, A::RequestSupplement, reception),
            (reception, A::Supplement, S::Submitted),
            (reception, A::RefuseAtReception, S::RefusedAtReception),
            (S::Received, A::StartProcessing, S::InProcess),
            (S::InProcess, A::RequestSupplement, processing),
            (processing, A::Supplement, S::InProcess),
            (S::InProcess, A::RequestPayment, S::AwaitingPayment),
            (S::AwaitingPayment, A::PaymentSettled, S::InProcess),
            (S::InProcess, A::Stop, S::Stopped),
            (processing, A::Stop, S::Stopped),
            (S::AwaitingPayment, A::Stop, S::Stopped),
            (S::InProcess, A::Decide, S::Decided),
            (S::Decided, A::Return, S::Returned),
        ];
        let withdrawable = [
            (S::Submitted, W::Submitted),
            (S::Received, W::Received),
            (S::InProcess, W::InProcess),
            (reception, W::SupplementRequested(Stage::Reception)),
            (processing, W::SupplementRequested(Stage::Processing)),
            (S::AwaitingPayment, W::AwaitingPayment),
        ];
        for (state, w) in withdrawable {
            t.push((state, A::RequestWithdrawal, S::WithdrawalRequested(w)));
            t.push((S::WithdrawalRequested(w), A::ConfirmWithdrawal, S::Withdrawn));
            t.push((S::WithdrawalRequested(w), A::DeclineWithdrawal, state));
        }
        t
    }

    #[test]
    fn every_state_action_pair_matches_the_table() {
        let table = expected_table();
        assert_eq!(table.len(), 34);
        let mut allowed = 0;
        for from in S::ALL {
            for action in A::ALL {
                let expected =
                    table.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, to)| *to);
                match expected {
                    Some(to) => {
                        allowed += 1;
                        assert_eq!(from.apply(action), Ok(to), "{from:?} + {action:?}");
                    }
                    None => assert_eq!(
                        from.apply(action),
                        Err(TransitionError { from, action }),
                        "{from:?} + {action:?} must be refused"
                    ),
                }
            }
        }
        assert_eq!(allowed, table.len(), "table has no duplicate (from, action)");
    }

    #[test]
    fn every_state_pair_matches_can_transition() {
        let table = expected_table();
        let mut reachable_pairs = 0;
        for from in S::ALL {
            for to in S::ALL {
                let expected = table.iter().any(|(f, _, t)| *f == from && *t == to);
                reachable_pairs += usize::from(expected);
                assert_eq!(can_transition(from, to), expected, "{from:?} -> {to:?}");
            }
        }
        // no two actions lead from one state to the same target, so pairs = table rows
        assert_eq!(reachable_pairs, 34);
    }

    #[test]
    fn all_lists_are_complete_and_distinct() {
        for (i, a) in S::ALL.iter().enumerate() {
            assert!(!S::ALL[i + 1..].contains(a), "{a:?} listed twice");
        }
        for (i, a) in A::ALL.iter().enumerate() {
            assert!(!A::ALL[i + 1..].contains(a), "{a:?} listed twice");
        }
        // every state in ALL except Draft is reachable from Draft
        let mut seen = vec![S::Draft];
        let mut frontier = vec![S::Draft];
        while let Some(s) = frontier.pop() {
            for a in A::ALL {
                if let Ok(next) = s.apply(a)
                    && !seen.contains(&next)
                {
                    seen.push(next);
                    frontier.push(next);
                }
            }
        }
        assert_eq!(seen.len(), S::ALL.len());
    }

    #[test]
    fn happy_path_and_supplement_loops() {
        let path = [
            A::Submit,
            A::RequestSupplement,
            A::Supplement,
            A::Accept,
            A::StartProcessing,
            A::RequestSupplement,
            A::Supplement,
            A::RequestPayment,
            A::PaymentSettled,
            A::Decide,
            A::Return,
        ];
        let codes: Vec<Option<u8>> = path
            .iter()
            .scan(S::Draft, |s, a| {
                *s = s.apply(*a).unwrap();
                Some(s.national_code())
            })
            .collect();
        let expected = [1, 5, 1, 2, 4, 5, 4, 6, 4, 9, 10].map(Some);
        assert_eq!(codes, expected);
    }

    #[test]
    fn declined_withdrawal_restores_the_previous_state() {
        for w in W::ALL {
            let state = w.state();
            let requested = state.apply(A::RequestWithdrawal).unwrap();
            assert_eq!(requested.national_code(), Some(7));
            assert!(!requested.is_terminal());
            assert_eq!(requested.apply(A::DeclineWithdrawal), Ok(state));
            let withdrawn = requested.apply(A::ConfirmWithdrawal).unwrap();
            assert_eq!(withdrawn, S::Withdrawn);
            assert!(withdrawn.is_terminal());
            assert!(withdrawn.allowed_actions().is_empty());
        }
    }

    #[test]
    fn no_withdrawal_after_decision_or_before_submission() {
        for s in [S::Draft, S::Decided, S::Returned, S::Stopped, S::RefusedAtReception] {
            assert!(s.apply(A::RequestWithdrawal).is_err(), "{s:?}");
        }
        // a pending request blocks everything but an answer
        let pending = S::WithdrawalRequested(W::InProcess);
        assert_eq!(pending.allowed_actions(), vec![A::ConfirmWithdrawal, A::DeclineWithdrawal]);
    }

    #[test]
    fn terminal_states_have_no_actions() {
        for s in S::ALL {
            assert_eq!(s.is_terminal(), s.allowed_actions().is_empty(), "{s:?}");
        }
    }

    #[test]
    fn allowed_actions_examples() {
        assert_eq!(S::Draft.allowed_actions(), vec![A::Submit]);
        assert_eq!(
            S::Submitted.allowed_actions(),
            vec![A::Accept, A::RefuseAtReception, A::RequestSupplement, A::RequestWithdrawal]
        );
        assert_eq!(
            S::InProcess.allowed_actions(),
            vec![A::RequestSupplement, A::RequestPayment, A::RequestWithdrawal, A::Stop, A::Decide]
        );
        assert_eq!(S::Decided.allowed_actions(), vec![A::Return]);
    }

    #[test]
    fn national_codes_round_trip() {
        for (i, s) in DossierStatus::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(s.code()), i + 1);
            assert_eq!(DossierStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(DossierStatus::from_code(0), None);
        assert_eq!(DossierStatus::from_code(11), None);
        assert_eq!(DossierStatus::try_from(11), Err(UnknownStatusCode(11)));
        assert_eq!(UnknownStatusCode(0).code(), "dossier_status_unknown_code");
    }

    #[test]
    fn labels() {
        assert_eq!(DossierStatus::Submitted.label_vi(), "Mới đăng ký");
        assert_eq!(DossierStatus::Received.label_vi(), "Được tiếp nhận");
        assert_eq!(DossierStatus::RefusedAtReception.label_vi(), "Không được tiếp nhận");
        assert_eq!(DossierStatus::InProcess.label_vi(), "Đang xử lý");
        assert_eq!(DossierStatus::SupplementRequested.label_vi(), "Yêu cầu bổ sung giấy tờ");
        assert_eq!(DossierStatus::AwaitingPayment.label_vi(), "Yêu cầu thực hiện nghĩa vụ tài chính");
        assert_eq!(DossierStatus::WithdrawalRequested.label_vi(), "Công dân yêu cầu rút hồ sơ");
        assert_eq!(DossierStatus::Stopped.label_vi(), "Dừng xử lý");
        assert_eq!(DossierStatus::Decided.label_vi(), "Đã xử lý xong");
        assert_eq!(DossierStatus::Returned.label_vi(), "Đã trả kết quả");
        assert_eq!(DossierStatus::Returned.to_string(), "Đã trả kết quả");
        assert_eq!(DossierStatus::InProcess.label_en(), "In process");
        assert_eq!(S::Draft.label_vi(), "Hồ sơ nháp");
        assert_eq!(S::Withdrawn.label_en(), "Withdrawn");
        assert_eq!(S::AwaitingPayment.label_vi(), "Yêu cầu thực hiện nghĩa vụ tài chính");
        for s in S::ALL {
            assert!(!s.label_vi().is_empty() && !s.label_en().is_empty());
        }
        for a in A::ALL {
            assert!(!a.label_vi().is_empty() && !a.label_en().is_empty());
        }
    }

    #[test]
    fn terminal_and_clock_national() {
        let terminal: Vec<u8> =
            DossierStatus::ALL.into_iter().filter(|s| s.is_terminal()).map(DossierStatus::code).collect();
        assert_eq!(terminal, [3, 8, 10]);
        let running: Vec<u8> =
            DossierStatus::ALL.into_iter().filter(|s| s.clock_running()).map(DossierStatus::code).collect();
        assert_eq!(running, [2, 4, 7]);
    }

    #[test]
    fn clock_exact() {
        let running: Vec<DossierState> = S::ALL.into_iter().filter(|s| s.clock_running()).collect();
        assert_eq!(
            running,
            [
                S::Received,
                S::InProcess,
                S::WithdrawalRequested(W::Received),
                S::WithdrawalRequested(W::InProcess),
            ]
        );
    }

    #[test]
    fn draft_has_no_national_code() {
        assert_eq!(S::Draft.national_code(), None);
        assert_eq!(S::Withdrawn.national_status(), Some(DossierStatus::WithdrawalRequested));
        assert_eq!(S::SupplementRequested(Stage::Reception).national_code(), Some(5));
    }

    #[test]
    fn serde_forms() {
        assert_eq!(serde_json::to_string(&DossierStatus::Decided).unwrap(), "9");
        assert_eq!(serde_json::from_str::<DossierStatus>("4").unwrap(), DossierStatus::InProcess);
        assert!(serde_json::from_str::<DossierStatus>("0").is_err());
        assert_eq!(serde_json::to_string(&S::Draft).unwrap(), "\"draft\"");
        let nested = S::WithdrawalRequested(W::SupplementRequested(Stage::Processing));
        let json = serde_json::to_string(&nested).unwrap();
        assert_eq!(json, r#"{"withdrawal_requested":{"supplement_requested":"processing"}}"#);
        assert_eq!(serde_json::from_str::<S>(&json).unwrap(), nested);
        assert_eq!(serde_json::to_string(&A::RefuseAtReception).unwrap(), "\"refuse_at_reception\"");
        let err = S::Returned.apply(A::Decide).unwrap_err();
        assert_eq!(err.code(), "dossier_transition_not_allowed");
    }
}
