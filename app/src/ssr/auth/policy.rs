//! Who may do what. Every service asks here first; pages and handlers never decide alone.

use serde::{Deserialize, Serialize};

/// An officer's role (DOMAIN.md "People"), scoped to an agency unit except `SystemAdmin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Cán bộ một cửa: receives dossiers, returns results, takes fees at the counter.
    DeskOfficer,
    /// Chuyên viên thụ lý: appraises dossiers.
    Specialist,
    /// Lãnh đạo: approves or refuses.
    Leader,
    /// Văn thư: stamps and issues results.
    Clerk,
    /// Quản trị đơn vị: manages its unit's officers and procedures.
    AgencyAdmin,
    /// Quản trị hệ thống: everything, everywhere.
    SystemAdmin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 6] = [
        Role::DeskOfficer,
        Role::Specialist,
        Role::Leader,
        Role::Clerk,
        Role::AgencyAdmin,
        Role::SystemAdmin,
    ];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::DeskOfficer => "desk_officer",
            Role::Specialist => "specialist",
            Role::Leader => "leader",
            Role::Clerk => "clerk",
            Role::AgencyAdmin => "agency_admin",
            Role::SystemAdmin => "system_admin",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A role held in a unit (`None` for the system administrator).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrant {
    /// The role.
    pub role: Role,
    /// The agency unit it applies to.
    pub agency_id: Option<String>,
}

/// The signed-in person as the services see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A citizen (or a business member acting as themselves).
    Citizen {
        /// User id.
        user_id: String,
    },
    /// An officer with their role grants.
    Officer {
        /// User id.
        user_id: String,
        /// Roles by unit.
        grants: Vec<RoleGrant>,
    },
}

impl Actor {
    /// The user id behind the actor.
    pub fn user_id(&self) -> &str {
        match self {
            Actor::Citizen { user_id } | Actor::Officer { user_id, .. } => user_id,
        }
    }

    /// Whether the actor holds `role` anywhere.
    pub fn has_role(&self, role: Role) -> bool {
        matches!(self, Actor::Officer { grants, .. } if grants.iter().any(|g| g.role == role))
    }

    /// Whether the actor holds `role` in `agency_id` (system admins hold everything).
    pub fn has_role_in(&self, role: Role, agency_id: &str) -> bool {
        match self {
            Actor::Officer { grants, .. } => grants.iter().any(|g| {
                g.role == Role::SystemAdmin || (g.role == role && g.agency_id.as_deref() == Some(agency_id))
            }),
            Actor::Citizen { .. } => false,
        }
    }

    /// Whether this is the system administrator.
    pub fn is_system_admin(&self) -> bool {
        self.has_role(Role::SystemAdmin)
    }
}

/// What an actor may do to a user account (profile, password).
pub fn may_manage_account(actor: &Actor, account_user_id: &str) -> bool {
    actor.user_id() == account_user_id
}

/// Whether the actor may create officer accounts and grant roles in `agency_id`
/// (`None`: a system-wide grant, which only a system admin may give).
pub fn may_administer_officers(actor: &Actor, agency_id: Option<&str>) -> bool {
    match agency_id {
        Some(agency) => actor.has_role_in(Role::AgencyAdmin, agency),
        None => actor.is_system_admin(),
    }
}

/// Whether the actor administers anything: a system or an agency administrator.
pub fn is_administrator(actor: &Actor) -> bool {
    actor.is_system_admin() || actor.has_role(Role::AgencyAdmin)
}

/// Whether the actor may open the catalogue administration at all (system or agency admin).
pub fn may_administer_catalogue(actor: &Actor) -> bool {
    is_administrator(actor)
}

/// Whether the actor may edit and publish a procedure received or decided by `unit_ids`:
/// a system admin everywhere, an agency admin for the procedures of their own units.
pub fn may_edit_procedure(actor: &Actor, unit_ids: &[String]) -> bool {
    actor.is_system_admin() || unit_ids.iter().any(|u| actor.has_role_in(Role::AgencyAdmin, u))
}

/// Whether the actor may edit a unit (and add units below it); `lineage` is the unit's id
/// followed by its ancestors' ids: an agency admin manages their unit's subtree.
pub fn may_edit_agency(actor: &Actor, lineage: &[String]) -> bool {
    actor.is_system_admin() || lineage.iter().any(|u| actor.has_role_in(Role::AgencyAdmin, u))
}

/// Whether the actor may edit the holiday table (it applies to every unit: system admins only).
pub fn may_edit_holidays(actor: &Actor) -> bool {
    actor.is_system_admin()
}

/// A person's place in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgRole {
    /// Created it; invites and removes members.
    Owner,
    /// Acts for it and sees everything it files.
    Member,
}

impl OrgRole {
    /// Parses the stored role.
    pub fn from_code(code: &str) -> Option<OrgRole> {
        match code {
            "owner" => Some(OrgRole::Owner),
            "member" => Some(OrgRole::Member),
            _ => None,
        }
    }
}

/// Whether someone with this membership may see the organisation and what it files
/// (members and owner only: officers see dossiers through their units, not here).
pub fn may_view_organisation(membership: Option<OrgRole>) -> bool {
    membership.is_some()
}

/// Whether someone with this membership may invite and remove members.
pub fn may_manage_organisation(membership: Option<OrgRole>) -> bool {
    membership == Some(OrgRole::Owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(grants: &[(Role, Option<&str>)]) -> Actor {
        Actor::Officer {
            user_id: "o".into(),
            grants: grants
                .iter()
                .map(|(role, a)| RoleGrant { role: *role, agency_id: a.map(String::from) })
                .collect(),
        }
    }

    #[test]
    fn roles_are_scoped_to_their_unit() {
        let desk = officer(&[(Role::DeskOfficer, Some("ward-1"))]);
        assert!(desk.has_role_in(Role::DeskOfficer, "ward-1"));
        assert!(!desk.has_role_in(Role::DeskOfficer, "ward-2"));
        assert!(!desk.has_role_in(Role::Leader, "ward-1"));
        let admin = officer(&[(Role::SystemAdmin, None)]);
        assert!(admin.has_role_in(Role::Leader, "anywhere"));
        let citizen = Actor::Citizen { user_id: "c".into() };
        assert!(!citizen.has_role_in(Role::DeskOfficer, "ward-1"));
    }

    #[test]
    fn accounts_are_managed_by_their_owner_only() {
        let a = Actor::Citizen { user_id: "a".into() };
        assert!(may_manage_account(&a, "a"));
        assert!(!may_manage_account(&a, "b"));
        assert!(!may_manage_account(&officer(&[(Role::SystemAdmin, None)]), "a"));
    }

    #[test]
    fn officer_administration() {
        let unit_admin = officer(&[(Role::AgencyAdmin, Some("d1"))]);
        assert!(may_administer_officers(&unit_admin, Some("d1")));
        assert!(!may_administer_officers(&unit_admin, Some("d2")));
        assert!(!may_administer_officers(&unit_admin, None));
        assert!(may_administer_officers(&officer(&[(Role::SystemAdmin, None)]), None));
    }

    #[test]
    fn catalogue_administration_is_scoped_to_units() {
        let unit_admin = officer(&[(Role::AgencyAdmin, Some("ward"))]);
        let sys = officer(&[(Role::SystemAdmin, None)]);
        let desk = officer(&[(Role::DeskOfficer, Some("ward"))]);
        assert!(may_administer_catalogue(&unit_admin) && may_administer_catalogue(&sys));
        assert!(!may_administer_catalogue(&desk));
        assert!(may_edit_procedure(&unit_admin, &["dept".into(), "ward".into()]));
        assert!(!may_edit_procedure(&unit_admin, &["dept".into()]));
        assert!(!may_edit_procedure(&desk, &["ward".into()]));
        assert!(may_edit_procedure(&sys, &[]));
        assert!(may_edit_agency(&unit_admin, &["child".into(), "ward".into()]));
        assert!(!may_edit_agency(&unit_admin, &["province".into()]));
        assert!(may_edit_holidays(&sys) && !may_edit_holidays(&unit_admin));
    }

    #[test]
    fn organisations_are_for_their_members_and_managed_by_the_owner() {
        assert!(!may_view_organisation(None));
        assert!(may_view_organisation(Some(OrgRole::Member)));
        assert!(!may_manage_organisation(Some(OrgRole::Member)));
        assert!(may_manage_organisation(Some(OrgRole::Owner)));
        assert_eq!(OrgRole::from_code("owner"), Some(OrgRole::Owner));
        assert_eq!(OrgRole::from_code("boss"), None);
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("king"), None);
    }
}
