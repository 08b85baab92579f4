//! Demonstration data for a laptop (`MOTCUA_DEMO_DATA=true`, set by scripts/run): loaded
//! once into an empty database; the demo passwords are printed. Refused in production.

use app::domain::TaxCode;
use app::ssr::auth::password::{self, Password};
use app::ssr::auth::policy::Role;
use app::ssr::db::{agencies, organisations, users};
use app::ssr::services::accounts::officers::{self, NewOfficer};
use app::ssr::state::AppState;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "MotCua-demo-2026";

/// The demo catalogue: agencies of Hưng Yên and real procedures (docs/CATALOGUE.md).
pub const DEMO_CATALOGUE: &str = include_str!("../../catalogue/demo.json");

/// Loads the demo data: the catalogue into an empty catalogue (once: importing it again at
/// every start would publish the file's version over what administrators edited in the
/// browser), then, into a database without accounts, the demo accounts.
pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let (procedures,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM procedures").fetch_one(state.db.reader()).await?;
    if procedures == 0 {
        app::ssr::services::catalogue::import_json(state, DEMO_CATALOGUE)
            .await
            .map_err(|e| anyhow::anyhow!("demo catalogue: {e}"))?;
    }
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(state.db.reader()).await?;
    if count > 0 {
        return Ok(());
    }
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let province = agencies::upsert(
        &mut tx,
        "000.00.00.H26",
        "UBND tỉnh Hưng Yên",
        "Hung Yen Provincial People's Committee",
        None,
        now,
    )
    .await?;
    let district = agencies::upsert(
        &mut tx,
        "000.00.21.H26",
        "UBND thành phố Hưng Yên",
        "Hung Yen City People's Committee",
        Some(&province),
        now,
    )
    .await?;
    let ward = agencies::upsert(
        &mut tx,
        "000.00.31.H26",
        "UBND phường Hiến Nam",
        "Hien Nam Ward People's Committee",
        Some(&province),
        now,
    )
    .await?;
    let commune = agencies::upsert(
        &mut tx,
        "000.00.32.H26",
        "UBND xã Bảo Khê",
        "Bao Khe Commune People's Committee",
        Some(&province),
        now,
    )
    .await?;
    let hash = password::hash(Password::new(DEMO_PASSWORD.into())).await?;
    let mut citizens = Vec::new();
    for (email, name, citizen_id, phone) in [
        ("citizen@demo.motcua.vn", "Nguyễn Văn An", "033099001234", "0912345678"),
        ("member1@demo.motcua.vn", "Trần Thị Bình", "033199004321", "0987654321"),
        ("member2@demo.motcua.vn", "Lê Văn Cường", "001098007777", "0901234567"),
    ] {
        let id = users::insert(
            &mut tx,
            &users::NewUser {
                kind: "citizen",
                email,
                full_name: name,
                phone: Some(phone),
                citizen_id: Some(citizen_id),
                password_hash: &hash,
                verified: true,
            },
            now,
        )
        .await?;
        citizens.push(id);
    }
    if let [_, owner, member] = citizens.as_slice() {
        let tax_code = TaxCode::parse("0300588569").map_err(|e| anyhow::anyhow!("demo tax code: {e}"))?;
        let org = organisations::insert(
            &mut tx,
            "Công ty TNHH Dịch vụ Demo MotCua",
            tax_code.as_str(),
            "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội",
            owner,
            now,
        )
        .await?;
        organisations::add_member(&mut tx, &org, member, "member", now).await?;
    }
    tx.commit().await?;

    let officers_list = [
        ("admin@demo.motcua.vn", "Quản Trị Hệ Thống", Role::SystemAdmin, None),
        ("agency-admin@demo.motcua.vn", "Phạm Quản Trị", Role::AgencyAdmin, Some(ward.clone())),
        ("desk@demo.motcua.vn", "Hoàng Thị Một Cửa", Role::DeskOfficer, Some(ward.clone())),
        ("specialist@demo.motcua.vn", "Vũ Văn Thụ Lý", Role::Specialist, Some(ward.clone())),
        ("leader@demo.motcua.vn", "Đỗ Lãnh Đạo", Role::Leader, Some(ward.clone())),
        ("clerk@demo.motcua.vn", "Bùi Văn Thư", Role::Clerk, Some(ward.clone())),
        ("desk2@demo.motcua.vn", "Ngô Thị Tiếp Nhận", Role::DeskOfficer, Some(commune.clone())),
        ("specialist2@demo.motcua.vn", "Lý Văn Thẩm Định", Role::Specialist, Some(commune.clone())),
        (
            "district-specialist@demo.motcua.vn",
            "Mai Văn Chuyên Viên",
            Role::Specialist,
            Some(district.clone()),
        ),
        ("district-leader@demo.motcua.vn", "Trịnh Thị Lãnh Đạo", Role::Leader, Some(district.clone())),
        ("district-clerk@demo.motcua.vn", "Đinh Văn Văn Thư", Role::Clerk, Some(district.clone())),
    ];
    for (email, name, role, agency) in officers_list {
        officers::create(
            state,
            None,
            NewOfficer {
                email: email.into(),
                full_name: name.into(),
                password: DEMO_PASSWORD.into(),
                roles: vec![(role, agency)],
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo officer {email}: {e}"))?;
    }
    println!("\nDemo accounts (development only), password for all: {DEMO_PASSWORD}");
    println!("  citizens: citizen@demo.motcua.vn, member1@demo.motcua.vn, member2@demo.motcua.vn");
    println!(
        "  officers: admin@, agency-admin@, desk@, specialist@, leader@, clerk@ (ward), desk2@, specialist2@ (commune),"
    );
    println!(
        "            district-specialist@, district-leader@, district-clerk@ (district of the ward) (demo.motcua.vn);"
    );
    println!("            they set up two-step verification (an authenticator app) at first sign-in\n");
    Ok(())
}
