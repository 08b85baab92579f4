//! The dossier events an organisation's webhooks can subscribe to (issue #10). Pure data,
//! shared by the owner's page and the server.

/// Every event, in the order pages list them: (name, Vietnamese label, English label).
pub const EVENTS: [(&str, &str, &str); 11] = [
    ("dossier.submitted", "Hồ sơ đã nộp", "Dossier submitted"),
    ("dossier.received", "Hồ sơ được tiếp nhận", "Dossier received"),
    ("dossier.supplement_requested", "Yêu cầu bổ sung hồ sơ", "Supplement requested"),
    ("dossier.supplemented", "Đã bổ sung hồ sơ", "Dossier supplemented"),
    ("dossier.refused", "Hồ sơ bị từ chối", "Dossier refused"),
    ("dossier.payment_requested", "Yêu cầu nộp phí", "Payment requested"),
    ("dossier.paid", "Đã nộp phí", "Fee paid"),
    ("dossier.result_ready", "Có kết quả", "Result ready"),
    ("dossier.returned", "Đã trả kết quả", "Result returned"),
    ("dossier.withdrawn", "Hồ sơ đã rút", "Dossier withdrawn"),
    ("dossier.stopped", "Dừng xử lý", "Processing stopped"),
];

/// Whether `name` is a known event.
pub fn is_event(name: &str) -> bool {
    EVENTS.iter().any(|(n, _, _)| *n == name)
}
