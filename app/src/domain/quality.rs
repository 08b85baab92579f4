//! Service quality: the citizen's satisfaction by criterion, the service-quality index of
//! Decision 766/2022 (100 points in six groups) and the evaluation of one dossier's handling
//! on the nine official criteria (2 points each). Pure rules over counts and facts the
//! caller gathers; each score says how it was computed, and what the portal's data cannot
//! tell is reported as such rather than guessed.

use time::OffsetDateTime;

use super::VIETNAM_OFFSET;

/// A criterion of the citizen's rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Criterion {
    /// Reception and guidance.
    Reception,
    /// Processing time.
    Timing,
    /// Officers' attitude.
    Attitude,
    /// Correctness of the result.
    Correctness,
}

impl Criterion {
    /// All, in the rating form's order.
    pub const ALL: [Criterion; 4] =
        [Criterion::Reception, Criterion::Timing, Criterion::Attitude, Criterion::Correctness];

    /// The code (the `ratings` column and the aggregates' `criterion`).
    pub fn code(self) -> &'static str {
        match self {
            Criterion::Reception => "reception",
            Criterion::Timing => "timing",
            Criterion::Attitude => "attitude",
            Criterion::Correctness => "correctness",
        }
    }

    /// From its code.
    pub fn from_code(code: &str) -> Option<Criterion> {
        Criterion::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Vietnamese and English labels.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Criterion::Reception => ("Tiếp nhận và hướng dẫn", "Reception and guidance"),
            Criterion::Timing => ("Thời gian giải quyết", "Processing time"),
            Criterion::Attitude => ("Thái độ của cán bộ", "Officers' attitude"),
            Criterion::Correctness => ("Kết quả đúng, chính xác", "Correctness of the result"),
        }
    }

    fn index(self) -> usize {
        match self {
            Criterion::Reception => 0,
            Criterion::Timing => 1,
            Criterion::Attitude => 2,
            Criterion::Correctness => 3,
        }
    }
}

/// How many answers of each level one criterion received.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Rất hài lòng (level 3).
    pub very_satisfied: i64,
    /// Hài lòng (level 2).
    pub satisfied: i64,
    /// Không hài lòng (level 1).
    pub not_satisfied: i64,
}

impl Tally {
    /// Counts one answer of `level` (1–3; anything else is ignored).
    pub fn count(&mut self, level: i64) {
        match level {
            3 => self.very_satisfied += 1,
            2 => self.satisfied += 1,
            1 => self.not_satisfied += 1,
            _ => {}
        }
    }

    /// Adds another tally.
    pub fn add(&mut self, o: &Tally) {
        self.very_satisfied += o.very_satisfied;
        self.satisfied += o.satisfied;
        self.not_satisfied += o.not_satisfied;
    }

    /// All answers.
    pub fn total(&self) -> i64 {
        self.very_satisfied + self.satisfied + self.not_satisfied
    }

    /// Very satisfied or satisfied, in per cent of the answers (None without answers).
    pub fn share(&self) -> Option<f64> {
        let n = self.total();
        (n > 0).then(|| 100.0 * (self.very_satisfied + self.satisfied) as f64 / n as f64)
    }
}

/// The tallies of the four criteria.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Satisfaction(pub [Tally; 4]);

impl Satisfaction {
    /// The tally of one criterion.
    pub fn get(&self, c: Criterion) -> Tally {
        self.0.get(c.index()).copied().unwrap_or_default()
    }

    /// The tally of one criterion, to add to.
    pub fn get_mut(&mut self, c: Criterion) -> Option<&mut Tally> {
        self.0.get_mut(c.index())
    }

    /// Counts one rating (levels in `Criterion::ALL` order).
    pub fn count(&mut self, levels: [i64; 4]) {
        for (t, l) in self.0.iter_mut().zip(levels) {
            t.count(l);
        }
    }

    /// Adds another.
    pub fn add(&mut self, o: &Satisfaction) {
        for (t, u) in self.0.iter_mut().zip(o.0.iter()) {
            t.add(u);
        }
    }

    /// All criteria together.
    pub fn overall(&self) -> Tally {
        let mut t = Tally::default();
        for u in &self.0 {
            t.add(u);
        }
        t
    }

    /// Number of ratings (each rating answers every criterion).
    pub fn ratings(&self) -> i64 {
        self.0.iter().map(Tally::total).max().unwrap_or(0)
    }
}

/// `part ÷ whole` as a fraction, None when `whole` is zero.
fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part.max(0) as f64 / whole as f64).min(1.0))
}

/// The mean of the parts that exist.
fn mean(parts: &[Option<f64>]) -> Option<f64> {
    let known: Vec<f64> = parts.iter().flatten().copied().collect();
    (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64)
}

/// The figures of a unit and period the index is computed from (sums of the daily
/// aggregates and of the feedback table).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct IndexInputs {
    /// Dossiers filed (online and at the desk).
    pub filed: i64,
    /// Of which online.
    pub filed_online: i64,
    /// Of which with their papers as electronic files at filing.
    pub filed_digitised: i64,
    /// Dossiers filed that got a code whose progress anyone can look up.
    pub filed_public: i64,
    /// Resolved (early, on time, late).
    pub resolved: i64,
    /// Of which early or on time.
    pub resolved_in_time: i64,
    /// Fees paid.
    pub paid: i64,
    /// Of which online.
    pub paid_online: i64,
    /// Rating answers, all criteria.
    pub satisfaction: Tally,
    /// Feedback whose answer was due in the period.
    pub feedback_due: i64,
    /// Of which answered in time.
    pub feedback_in_time: i64,
    /// Papers attached at filing.
    pub papers: i64,
    /// Of which reused from the document store.
    pub papers_reused: i64,
    /// Results handed over.
    pub returned: i64,
    /// Of which electronically.
    pub returned_electronic: i64,
}

/// The six groups of Decision 766/2022.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexGroup {
    /// Công khai, minh bạch.
    PublicInformation,
    /// Tiến độ, kết quả giải quyết.
    Progress,
    /// Cung cấp dịch vụ trực tuyến.
    OnlineService,
    /// Thanh toán trực tuyến.
    OnlinePayment,
    /// Mức độ hài lòng.
    Satisfaction,
    /// Số hóa hồ sơ.
    Digitisation,
}

impl IndexGroup {
    /// All, in the Decision's order.
    pub const ALL: [IndexGroup; 6] = [
        IndexGroup::PublicInformation,
        IndexGroup::Progress,
        IndexGroup::OnlineService,
        IndexGroup::OnlinePayment,
        IndexGroup::Satisfaction,
        IndexGroup::Digitisation,
    ];

    /// The group's points out of 100.
    pub fn max(self) -> f64 {
        match self {
            IndexGroup::PublicInformation => 18.0,
            IndexGroup::Progress => 20.0,
            IndexGroup::OnlineService => 12.0,
            IndexGroup::OnlinePayment => 10.0,
            IndexGroup::Satisfaction => 18.0,
            IndexGroup::Digitisation => 22.0,
        }
    }

    /// Vietnamese and English names.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            IndexGroup::PublicInformation => ("Công khai, minh bạch", "Public information and transparency"),
            IndexGroup::Progress => ("Tiến độ giải quyết", "Progress of handling"),
            IndexGroup::OnlineService => ("Dịch vụ trực tuyến", "Online service"),
            IndexGroup::OnlinePayment => ("Thanh toán trực tuyến", "Online payment"),
            IndexGroup::Satisfaction => ("Mức độ hài lòng", "Satisfaction"),
            IndexGroup::Digitisation => ("Số hóa hồ sơ", "Digitisation"),
        }
    }

    /// The formula, as published beside the figures (Vietnamese, English).
    pub fn formula(self) -> (&'static str, &'static str) {
        match self {
            IndexGroup::PublicInformation => (
                "18 × hồ sơ có mã tra cứu tiến độ công khai trên Cổng ÷ hồ sơ tiếp nhận. (Việc công bố thủ tục đúng hạn được quyết định ngoài Cổng nên chưa tính.)",
                "18 × dossiers with a code whose progress anyone can look up on the portal ÷ dossiers filed. (Publishing procedures on time is decided outside the portal and is not counted.)",
            ),
            IndexGroup::Progress => (
                "20 × hồ sơ giải quyết trước hạn, đúng hạn ÷ hồ sơ đã giải quyết.",
                "20 × dossiers resolved early or on time ÷ dossiers resolved.",
            ),
            IndexGroup::OnlineService => (
                "12 × hồ sơ nộp trực tuyến ÷ hồ sơ tiếp nhận.",
                "12 × dossiers filed online ÷ dossiers filed.",
            ),
            IndexGroup::OnlinePayment => {
                ("10 × khoản phí nộp trực tuyến ÷ khoản phí đã nộp.", "10 × fees paid online ÷ fees paid.")
            }
            IndexGroup::Satisfaction => (
                "18 × trung bình của: (lượt đánh giá rất hài lòng, hài lòng ÷ tất cả lượt đánh giá theo 4 tiêu chí) và (phản ánh, kiến nghị trả lời đúng hạn ÷ phản ánh đến hạn trả lời trong kỳ).",
                "18 × the mean of: (answers very satisfied or satisfied ÷ all answers on the 4 criteria) and (feedback answered in time ÷ feedback due in the period).",
            ),
            IndexGroup::Digitisation => (
                "22 × trung bình của: (hồ sơ có thành phần là tệp điện tử khi tiếp nhận ÷ hồ sơ tiếp nhận), (giấy tờ dùng lại từ kho dữ liệu cá nhân ÷ giấy tờ đã nộp) và (kết quả trả điện tử ÷ kết quả đã trả).",
                "22 × the mean of: (dossiers whose papers were electronic files at filing ÷ dossiers filed), (papers reused from the document store ÷ papers attached) and (results handed over electronically ÷ results handed over).",
            ),
        }
    }

    /// The fraction of the group's points earned (0–1), None without data.
    fn fraction(self, i: &IndexInputs) -> Option<f64> {
        match self {
            IndexGroup::PublicInformation => ratio(i.filed_public, i.filed),
            IndexGroup::Progress => ratio(i.resolved_in_time, i.resolved),
            IndexGroup::OnlineService => ratio(i.filed_online, i.filed),
            IndexGroup::OnlinePayment => ratio(i.paid_online, i.paid),
            IndexGroup::Satisfaction => {
                mean(&[i.satisfaction.share().map(|s| s / 100.0), ratio(i.feedback_in_time, i.feedback_due)])
            }
            IndexGroup::Digitisation => mean(&[
                ratio(i.filed_digitised, i.filed),
                ratio(i.papers_reused, i.papers),
                ratio(i.returned_electronic, i.returned),
            ]),
        }
    }
}

/// The index of one unit and period.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceIndex {
    /// Each group's points (None: no data in the period).
    pub groups: Vec<(IndexGroup, Option<f64>)>,
    /// The points of the groups with data, scaled to 100 (None when no group has data).
    pub total: Option<f64>,
}

/// Computes the Decision 766/2022 index from a unit's figures. A group without data (no
/// dossier resolved, no fee paid…) is left out and the others are scaled to 100, so a unit
/// is not punished for what it did not have to do.
pub fn service_index(i: &IndexInputs) -> ServiceIndex {
    let groups: Vec<(IndexGroup, Option<f64>)> =
        IndexGroup::ALL.iter().map(|g| (*g, g.fraction(i).map(|f| f * g.max()))).collect();
    let (points, max) = groups
        .iter()
        .filter_map(|(g, p)| p.map(|p| (p, g.max())))
        .fold((0.0, 0.0), |(a, b), (p, m)| (a + p, b + m));
    ServiceIndex { groups, total: (max > 0.0).then(|| 100.0 * points / max) }
}

/// The nine official criteria for evaluating one dossier's handling (2 points each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandlingCriterion {
    /// Total time against the legal limit.
    TotalTime,
    /// Time at each agency, co-operating ones included.
    TimeAtEachAgency,
    /// Number of contacts needed to complete the dossier.
    Contacts,
    /// Number of agencies the applicant had to contact.
    AgenciesContacted,
    /// Received, processed and returned through the one-stop desk.
    OneStop,
    /// Publicity of the procedure.
    Publicity,
    /// Staff attitude.
    Attitude,
    /// Handling of feedback.
    Feedback,
    /// Progress and quality of the online service.
    OnlineService,
}

impl HandlingCriterion {
    /// All, in the official order.
    pub const ALL: [HandlingCriterion; 9] = [
        HandlingCriterion::TotalTime,
        HandlingCriterion::TimeAtEachAgency,
        HandlingCriterion::Contacts,
        HandlingCriterion::AgenciesContacted,
        HandlingCriterion::OneStop,
        HandlingCriterion::Publicity,
        HandlingCriterion::Attitude,
        HandlingCriterion::Feedback,
        HandlingCriterion::OnlineService,
    ];

    /// Vietnamese and English names.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            HandlingCriterion::TotalTime => {
                ("Tổng thời gian giải quyết so với quy định", "Total time against the legal limit")
            }
            HandlingCriterion::TimeAtEachAgency => {
                ("Thời gian tại từng cơ quan, đơn vị", "Time at each agency")
            }
            HandlingCriterion::Contacts => {
                ("Số lần liên hệ để hoàn thiện hồ sơ", "Contacts needed to complete the dossier")
            }
            HandlingCriterion::AgenciesContacted => ("Số cơ quan phải liên hệ", "Agencies contacted"),
            HandlingCriterion::OneStop => (
                "Tiếp nhận, giải quyết, trả kết quả qua Bộ phận Một cửa",
                "Handled through the one-stop desk",
            ),
            HandlingCriterion::Publicity => ("Công khai thủ tục hành chính", "Publicity of the procedure"),
            HandlingCriterion::Attitude => ("Thái độ của cán bộ", "Staff attitude"),
            HandlingCriterion::Feedback => {
                ("Tiếp thu, giải trình phản ánh, kiến nghị", "Handling of feedback")
            }
            HandlingCriterion::OnlineService => {
                ("Tiến độ, chất lượng dịch vụ công trực tuyến", "Progress and quality of the online service")
            }
        }
    }
}

/// What the portal knows about one dossier's handling.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HandlingFacts {
    /// When it was decided (None: not yet).
    pub decided_at: Option<OffsetDateTime>,
    /// The first appointment (the legal limit from reception).
    pub due_at: Option<OffsetDateTime>,
    /// Each finished workflow step: its unit, its own deadline, when it finished.
    pub steps: Vec<(String, Option<OffsetDateTime>, OffsetDateTime)>,
    /// Requests to supplement the papers (at reception or during processing).
    pub supplement_requests: i64,
    /// Whether the desk received it (accepted) and, when handed over, how (`electronic`,
    /// `post`, `desk`).
    pub received: bool,
    /// How the result was handed over.
    pub returned_via: Option<String>,
    /// Whether the dossier's procedure version is published in the catalogue.
    pub procedure_published: bool,
    /// Filed online (not at the counter).
    pub filed_online: bool,
    /// The procedure is fully online (toàn trình).
    pub fully_online: bool,
    /// The citizen's attitude rating (1–3), when rated.
    pub attitude_rating: Option<i64>,
    /// Feedback about the dossier: its deadline and when answered.
    pub feedback: Vec<(OffsetDateTime, Option<OffsetDateTime>)>,
}

/// One criterion's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandlingScore {
    /// Points (0–2), with the reason.
    Points(u8, (&'static str, &'static str)),
    /// Not yet known (the step has not happened).
    NotYet,
    /// The portal's data cannot tell.
    NotComputable((&'static str, &'static str)),
}

/// Early 2, on time 1, late 0 (the day is Vietnam's, as for the statistics).
fn timeliness_points(done: OffsetDateTime, due: OffsetDateTime) -> u8 {
    let (d, a) = (done.to_offset(VIETNAM_OFFSET), due.to_offset(VIETNAM_OFFSET));
    if d.date() < a.date() {
        2
    } else if d <= a {
        1
    } else {
        0
    }
}

fn timeliness_reason(p: u8) -> (&'static str, &'static str) {
    match p {
        2 => ("Trước hạn", "Early"),
        1 => ("Đúng hạn", "On time"),
        _ => ("Quá hạn", "Late"),
    }
}

/// Evaluates a dossier's handling on the nine criteria, from what the portal recorded.
pub fn evaluate_handling(f: &HandlingFacts) -> Vec<(HandlingCriterion, HandlingScore)> {
    use HandlingCriterion as C;
    use HandlingScore as S;
    HandlingCriterion::ALL
        .iter()
        .map(|c| {
            let score = match c {
                C::TotalTime => match (f.decided_at, f.due_at) {
                    (Some(d), Some(due)) => {
                        let p = timeliness_points(d, due);
                        S::Points(p, timeliness_reason(p))
                    }
                    _ => S::NotYet,
                },
                C::TimeAtEachAgency => {
                    let timed: Vec<u8> = f
                        .steps
                        .iter()
                        .filter_map(|(_, due, done)| due.map(|due| timeliness_points(*done, due)))
                        .collect();
                    match timed.iter().min() {
                        Some(p) => S::Points(*p, timeliness_reason(*p)),
                        None if f.decided_at.is_some() => S::NotComputable((
                            "Các bước không có hạn riêng",
                            "The steps had no deadline of their own",
                        )),
                        None => S::NotYet,
                    }
                }
                C::Contacts => {
                    // the filing itself, and one more for each request to supplement
                    let contacts = 1 + f.supplement_requests.max(0);
                    match contacts {
                        1 => S::Points(2, ("1 lần", "Once")),
                        2 => S::Points(1, ("2 lần", "Twice")),
                        _ => S::Points(0, ("Trên 2 lần", "More than twice")),
                    }
                }
                C::AgenciesContacted => {
                    if f.received {
                        S::Points(
                            2,
                            (
                                "1 cơ quan: người dân chỉ làm việc với nơi tiếp nhận",
                                "1 agency: the applicant dealt only with the receiving desk",
                            ),
                        )
                    } else {
                        S::NotYet
                    }
                }
                C::OneStop => match (&f.received, f.returned_via.as_deref()) {
                    (true, Some(_)) => S::Points(
                        2,
                        (
                            "Tiếp nhận và trả kết quả qua Bộ phận Một cửa trên Cổng",
                            "Received and returned through the one-stop desk on the portal",
                        ),
                    ),
                    _ => S::NotYet,
                },
                C::Publicity => {
                    if f.procedure_published {
                        S::Points(
                            2,
                            (
                                "Thủ tục được công khai đầy đủ trên Cổng",
                                "The procedure is published in full on the portal",
                            ),
                        )
                    } else {
                        S::Points(
                            1,
                            (
                                "Phiên bản thủ tục không còn công khai",
                                "The procedure's version is no longer published",
                            ),
                        )
                    }
                }
                C::Attitude => match f.attitude_rating {
                    Some(3) => S::Points(2, ("Người dân: rất hài lòng", "Applicant: very satisfied")),
                    Some(2) => S::Points(1, ("Người dân: hài lòng", "Applicant: satisfied")),
                    Some(_) => S::Points(0, ("Người dân: không hài lòng", "Applicant: not satisfied")),
                    None => S::NotComputable((
                        "Người dân chưa đánh giá; Cổng không có dữ liệu khác về thái độ",
                        "Not rated by the applicant; the portal has no other data on attitude",
                    )),
                },
                C::Feedback => {
                    if f.feedback.is_empty() {
                        S::Points(2, ("Không có phản ánh, kiến nghị", "No feedback about the dossier"))
                    } else if f.feedback.iter().all(|(due, a)| a.is_some_and(|a| a <= *due)) {
                        S::Points(2, ("Trả lời đúng hạn", "Answered in time"))
                    } else if f.feedback.iter().all(|(_, a)| a.is_some()) {
                        S::Points(1, ("Trả lời quá hạn", "Answered late"))
                    } else {
                        S::Points(0, ("Chưa trả lời", "Not answered"))
                    }
                }
                C::OnlineService => match (f.fully_online, f.filed_online) {
                    (true, true) => {
                        S::Points(2, ("Toàn trình, nộp trực tuyến", "Fully online, filed online"))
                    }
                    (false, true) => {
                        S::Points(1, ("Một phần, nộp trực tuyến", "Partly online, filed online"))
                    }
                    (_, false) => S::Points(0, ("Nộp tại quầy", "Filed at the counter")),
                },
            };
            (*c, score)
        })
        .collect()
}

/// The points of an evaluation and the most it could have had (2 for each scored criterion).
pub fn handling_points(scores: &[(HandlingCriterion, HandlingScore)]) -> (u32, u32) {
    scores.iter().fold((0, 0), |(p, m), (_, s)| match s {
        HandlingScore::Points(x, _) => (p + u32::from(*x), m + 2),
        _ => (p, m),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_tally_shares_the_satisfied_answers() {
        let mut s = Satisfaction::default();
        s.count([3, 2, 1, 3]);
        s.count([3, 3, 2, 1]);
        assert_eq!(s.get(Criterion::Reception), Tally { very_satisfied: 2, satisfied: 0, not_satisfied: 0 });
        assert_eq!(s.get(Criterion::Correctness).share(), Some(50.0));
        assert_eq!(s.overall().total(), 8);
        assert_eq!(s.ratings(), 2);
        assert_eq!(Tally::default().share(), None);
        assert_eq!(Criterion::from_code("attitude"), Some(Criterion::Attitude));
    }

    #[test]
    fn the_index_adds_the_groups_on_known_inputs() {
        let i = IndexInputs {
            filed: 10,
            filed_online: 6,
            filed_digitised: 10,
            filed_public: 10,
            resolved: 8,
            resolved_in_time: 6,
            paid: 4,
            paid_online: 1,
            satisfaction: Tally { very_satisfied: 6, satisfied: 2, not_satisfied: 2 },
            feedback_due: 2,
            feedback_in_time: 1,
            papers: 20,
            papers_reused: 5,
            returned: 5,
            returned_electronic: 5,
        };
        let x = service_index(&i);
        let pts: Vec<f64> = x.groups.iter().map(|(_, p)| p.unwrap()).collect();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(pts[0], 18.0), "public information");
        assert!(close(pts[1], 15.0), "20 × 6/8");
        assert!(close(pts[2], 7.2), "12 × 6/10");
        assert!(close(pts[3], 2.5), "10 × 1/4");
        assert!(close(pts[4], 18.0 * (0.8 + 0.5) / 2.0), "satisfaction");
        assert!(close(pts[5], 22.0 * (1.0 + 0.25 + 1.0) / 3.0), "digitisation");
        assert!(close(x.total.unwrap(), pts.iter().sum::<f64>()), "all groups known: out of 100");
    }

    #[test]
    fn groups_without_data_are_left_out_and_the_rest_scaled() {
        let i = IndexInputs { resolved: 4, resolved_in_time: 2, ..Default::default() };
        let x = service_index(&i);
        assert_eq!(x.groups.iter().filter(|(_, p)| p.is_some()).count(), 1);
        assert_eq!(x.total, Some(50.0));
        assert_eq!(service_index(&IndexInputs::default()).total, None);
    }

    #[test]
    fn a_dossier_is_evaluated_where_the_data_allows() {
        let due = datetime!(2026-11-20 17:00 +7);
        let f = HandlingFacts {
            decided_at: Some(datetime!(2026-11-20 10:00 +7)),
            due_at: Some(due),
            steps: vec![
                ("A".into(), Some(datetime!(2026-11-18 17:00 +7)), datetime!(2026-11-17 09:00 +7)),
                ("A".into(), Some(datetime!(2026-11-19 17:00 +7)), datetime!(2026-11-20 09:00 +7)),
            ],
            supplement_requests: 1,
            received: true,
            returned_via: Some("electronic".into()),
            procedure_published: true,
            filed_online: true,
            fully_online: false,
            attitude_rating: None,
            feedback: vec![(due, Some(datetime!(2026-11-21 08:00 +7)))],
        };
        let s = evaluate_handling(&f);
        let points: Vec<Option<u8>> = s
            .iter()
            .map(|(_, s)| match s {
                HandlingScore::Points(p, _) => Some(*p),
                _ => None,
            })
            .collect();
        assert_eq!(
            points,
            vec![Some(1), Some(0), Some(1), Some(2), Some(2), Some(2), None, Some(1), Some(1)]
        );
        assert!(matches!(s[6].1, HandlingScore::NotComputable(_)), "attitude without a rating");
        assert_eq!(handling_points(&s), (10, 16));

        let open = HandlingFacts { filed_online: false, ..Default::default() };
        let s = evaluate_handling(&open);
        assert_eq!(s[0].1, HandlingScore::NotYet);
        assert_eq!(s[4].1, HandlingScore::NotYet);
        assert!(matches!(s[8].1, HandlingScore::Points(0, _)));
    }
}
