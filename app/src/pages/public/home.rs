//! The home page: what the portal is and what a person can do here.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::i18n::{common, t};

crate::texts! {
    HERO_TITLE = { vi: "Dịch vụ công trực tuyến", en: "Online public services" }
    HERO_LEAD = {
        vi: "Tìm thủ tục hành chính, nộp hồ sơ và giấy tờ từ nhà, thanh toán phí, lệ phí trực tuyến và theo dõi hồ sơ đến khi nhận kết quả.",
        en: "Find an administrative procedure, file your dossier and papers from home, pay fees online and follow your dossier until you receive the result.",
    }
    STEPS_TITLE = { vi: "Các bước thực hiện", en: "How it works" }
    STEP_FIND = { vi: "Tìm thủ tục", en: "Find the procedure" }
    STEP_FIND_BODY = {
        vi: "Tra cứu thủ tục theo tên, lĩnh vực hoặc cơ quan giải quyết; xem giấy tờ cần có, thời hạn và phí.",
        en: "Search by name, field or deciding agency; see the papers needed, the processing time and the fees.",
    }
    STEP_FILE = { vi: "Nộp hồ sơ", en: "File your dossier" }
    STEP_FILE_BODY = {
        vi: "Điền tờ khai, tải lên bản chụp giấy tờ và chọn cách nhận kết quả: trực tuyến, qua bưu chính hoặc tại bộ phận một cửa.",
        en: "Fill in the form, upload scans of your papers and choose how to receive the result: online, by post or at the one-stop desk.",
    }
    STEP_PAY = { vi: "Thanh toán", en: "Pay" }
    STEP_PAY_BODY = {
        vi: "Nộp phí, lệ phí trực tuyến và nhận biên lai điện tử.",
        en: "Pay fees and charges online and get an electronic receipt.",
    }
    STEP_TRACK = { vi: "Theo dõi và nhận kết quả", en: "Track and receive the result" }
    STEP_TRACK_BODY = {
        vi: "Theo dõi từng bước xử lý, bổ sung giấy tờ khi được yêu cầu và đánh giá mức độ hài lòng.",
        en: "Follow each processing step, supplement papers when asked, and rate the service.",
    }
    COMMITMENT_TITLE = { vi: "Cam kết công khai", en: "Our public commitments" }
    COMMITMENT_BODY = {
        vi: "Mọi hồ sơ được tính hạn theo ngày làm việc; tỷ lệ giải quyết đúng hạn và kết quả đánh giá hài lòng được công khai.",
        en: "Every dossier is timed in working days; on-time rates and satisfaction results are published.",
    }
}

/// `/`: introduces the portal.
#[component]
pub fn HomePage() -> impl IntoView {
    let steps = [
        (STEP_FIND, STEP_FIND_BODY),
        (STEP_FILE, STEP_FILE_BODY),
        (STEP_PAY, STEP_PAY_BODY),
        (STEP_TRACK, STEP_TRACK_BODY),
    ];
    view! {
        <Title text=t(common::SITE_NAME)/>
        <Meta name="description" content=t(common::SITE_TAGLINE)/>
        <section class="hero" aria-labelledby="hero-title">
            <h1 id="hero-title">{t(HERO_TITLE)}</h1>
            <p class="lead">{t(HERO_LEAD)}</p>
        </section>
        <section aria-labelledby="steps-title">
            <h2 id="steps-title">{t(STEPS_TITLE)}</h2>
            <ol class="steps">
                {steps
                    .into_iter()
                    .map(|(title, body)| {
                        view! {
                            <li class="card">
                                <h3>{t(title)}</h3>
                                <p>{t(body)}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
        <section class="commitment" aria-labelledby="commitment-title">
            <h2 id="commitment-title">{t(COMMITMENT_TITLE)}</h2>
            <p>{t(COMMITMENT_BODY)}</p>
        </section>
    }
}
