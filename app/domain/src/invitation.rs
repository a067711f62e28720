//! Invitation links: what using one may do. A link is bound to what the organizer issued it for (a role, and
//! an e-mail address when one was given; or one member's password reset), and it never changes the
//! credentials of an account it was not issued for: a person who already has an account signs in first.
//!
//! Pure: the server loads the invitation, the signed-in member and the account of the address, and asks
//! [`use_invitation`]; no IO, no clock.

use serde::{Deserialize, Serialize};

use crate::{
    ids::MemberId,
    member::{MemberStatus, Role},
    refusal::Refusal,
};

/// What the organizer issued a link for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Purpose {
    /// Join the edition with `role`; `email`, when given, is the only address the link is for.
    Join {
        /// The role the link gives.
        role: Role,
        /// The address the organizer invited, normalized (trimmed, lower case).
        email: Option<String>,
    },
    /// Choose a new password for this member.
    Reset {
        /// The member whose password the link resets.
        member: MemberId,
    },
}

/// An existing account, with its standing in the invitation's edition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Account {
    /// The member.
    pub member: MemberId,
    /// Their membership's status in the invitation's edition, if they have one.
    pub status: Option<MemberStatus>,
}

/// What using the link does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Use {
    /// A new account for `email`, verified in the edition with `role`; its password is chosen now.
    CreateAccount {
        /// The address of the new account.
        email: String,
        /// Its role.
        role: Role,
    },
    /// The signed-in member joins the edition (or completes a pending registration) with `role`; no
    /// credential changes.
    JoinWithAccount {
        /// The signed-in member.
        member: MemberId,
        /// The role they get: `None` keeps a verified member's role as it is.
        role: Option<Role>,
    },
    /// `member` chooses a new password; every session of theirs ends.
    ResetPassword {
        /// The member.
        member: MemberId,
    },
}

/// Decides what a link does for whoever uses it.
///
/// - `signed_in`: the account of the browser's session, if any (with its e-mail address);
/// - `form_email`: the address typed in the form (only used by a join link issued without an address);
/// - `account_of`: the account that already holds the address the link would create, if any.
///
/// # Errors
/// - [`Refusal::InvitationForAnother`] when a join link issued for one address is used by a member signed in
///   with another;
/// - [`Refusal::AccountExists`] when the address already has an account and nobody is signed in: that person
///   signs in, then opens the link again;
/// - [`Refusal::NotVerified`] when the signed-in member is suspended or rejected in the edition (a link never
///   lifts an organizer's decision).
pub fn use_invitation(
    purpose: &Purpose,
    signed_in: Option<(Account, &str)>,
    form_email: Option<&str>,
    account_of: Option<Account>,
) -> Result<Use, Refusal> {
    let (role, invited) = match purpose {
        Purpose::Reset { member } => return Ok(Use::ResetPassword { member: *member }),
        Purpose::Join { role, email } => (*role, email.as_deref()),
    };
    if let Some((account, address)) = signed_in {
        if invited.is_some_and(|invited| !address.trim().eq_ignore_ascii_case(invited)) {
            return Err(Refusal::InvitationForAnother);
        }
        return match account.status {
            Some(status @ (MemberStatus::Suspended | MemberStatus::Rejected)) => {
                Err(Refusal::NotVerified { status })
            }
            // A link made for this very address may change the role; an open link only lets people in.
            Some(MemberStatus::Verified) => Ok(Use::JoinWithAccount {
                member: account.member,
                role: invited.map(|_| role),
            }),
            Some(MemberStatus::Pending) | None => Ok(Use::JoinWithAccount {
                member: account.member,
                role: Some(role),
            }),
        };
    }
    if account_of.is_some() {
        return Err(Refusal::AccountExists);
    }
    let email = address_for(purpose, form_email).unwrap_or_default();
    Ok(Use::CreateAccount { email, role })
}

/// The address a join link would give an account: the one the organizer named, else the one typed in the
/// form. The caller looks up the account of **this** address for [`use_invitation`]'s `account_of`.
#[must_use]
pub fn address_for(purpose: &Purpose, form_email: Option<&str>) -> Option<String> {
    match purpose {
        Purpose::Join { email, .. } => email
            .as_deref()
            .or(form_email)
            .map(|email| email.trim().to_lowercase())
            .filter(|email| !email.is_empty()),
        Purpose::Reset { .. } => None,
    }
}

/// Whether a use sets a password (the form must carry one).
#[must_use]
pub fn needs_password(purpose: &Purpose, signed_in: bool) -> bool {
    match purpose {
        Purpose::Reset { .. } => true,
        Purpose::Join { .. } => !signed_in,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAIR: Account = Account {
        member: MemberId(2),
        status: Some(MemberStatus::Verified),
    };

    fn join(role: Role, email: Option<&str>) -> Purpose {
        Purpose::Join {
            role,
            email: email.map(str::to_owned),
        }
    }

    #[test]
    fn a_link_for_one_address_used_with_an_existing_address_takes_over_nothing() {
        // The attack: a delegate's link posted with the chair's address while signed out. The address that
        // counts is the link's, which has no account yet.
        let purpose = join(Role::Delegate, Some("new@ville.fr"));
        assert_eq!(
            address_for(&purpose, Some("chair@ville.fr")).as_deref(),
            Some("new@ville.fr")
        );
        let taken = use_invitation(&purpose, None, Some("chair@ville.fr"), None);
        assert_eq!(
            taken,
            Ok(Use::CreateAccount {
                email: "new@ville.fr".into(),
                role: Role::Delegate
            }),
            "the address typed in the form is ignored when the link names one"
        );
    }

    #[test]
    fn an_open_link_for_an_address_that_has_an_account_asks_that_person_to_sign_in() {
        let purpose = join(Role::Delegate, None);
        assert_eq!(
            use_invitation(&purpose, None, Some("chair@ville.fr"), Some(CHAIR)),
            Err(Refusal::AccountExists)
        );
        let named = join(Role::Organizer, Some("chair@ville.fr"));
        assert_eq!(
            use_invitation(&named, None, None, Some(CHAIR)),
            Err(Refusal::AccountExists),
            "even the right link never resets a password"
        );
    }

    #[test]
    fn a_new_address_gets_an_account_with_the_links_role() {
        let purpose = join(Role::Observer, None);
        assert_eq!(
            use_invitation(&purpose, None, Some("  Presse@Journal.fr "), None),
            Ok(Use::CreateAccount {
                email: "presse@journal.fr".into(),
                role: Role::Observer
            })
        );
    }

    #[test]
    fn a_signed_in_member_joins_with_their_own_account_and_keeps_their_password() {
        let open = join(Role::Delegate, None);
        let newcomer = Account {
            member: MemberId(9),
            status: None,
        };
        assert_eq!(
            use_invitation(&open, Some((newcomer, "maire@ville.fr")), None, None),
            Ok(Use::JoinWithAccount {
                member: MemberId(9),
                role: Some(Role::Delegate)
            })
        );
        assert_eq!(
            use_invitation(&open, Some((CHAIR, "chair@ville.fr")), None, None),
            Ok(Use::JoinWithAccount {
                member: MemberId(2),
                role: None
            }),
            "an open link does not change a verified member's role"
        );
        let named = join(Role::Organizer, Some("chair@ville.fr"));
        assert_eq!(
            use_invitation(&named, Some((CHAIR, "Chair@Ville.fr")), None, None),
            Ok(Use::JoinWithAccount {
                member: MemberId(2),
                role: Some(Role::Organizer)
            })
        );
    }

    #[test]
    fn a_link_for_someone_else_is_refused_to_a_signed_in_member() {
        let named = join(Role::Organizer, Some("other@ville.fr"));
        assert_eq!(
            use_invitation(&named, Some((CHAIR, "chair@ville.fr")), None, None),
            Err(Refusal::InvitationForAnother)
        );
    }

    #[test]
    fn a_link_never_lifts_a_suspension_or_a_rejection() {
        for status in [MemberStatus::Suspended, MemberStatus::Rejected] {
            let account = Account {
                member: MemberId(4),
                status: Some(status),
            };
            assert_eq!(
                use_invitation(
                    &join(Role::Delegate, None),
                    Some((account, "x@ville.fr")),
                    None,
                    None
                ),
                Err(Refusal::NotVerified { status })
            );
        }
    }

    #[test]
    fn a_reset_link_resets_only_its_member() {
        let purpose = Purpose::Reset {
            member: MemberId(5),
        };
        for signed_in in [None, Some((CHAIR, "chair@ville.fr"))] {
            assert_eq!(
                use_invitation(&purpose, signed_in, Some("chair@ville.fr"), Some(CHAIR)),
                Ok(Use::ResetPassword {
                    member: MemberId(5)
                })
            );
        }
        assert!(needs_password(&purpose, true));
        assert!(needs_password(&join(Role::Delegate, None), false));
        assert!(!needs_password(&join(Role::Delegate, None), true));
    }
}
