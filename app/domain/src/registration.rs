//! Who may register and what a registration must say: the mandate of an elected official and the checks on
//! each field. Pure: the caller stores, this module only decides.

use serde::{Deserialize, Serialize};

use crate::text::normalize;

/// The elected function held, as the congress counts them.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MandateFunction {
    Maire,
    Adjoint,
    ConseillerMunicipal,
    PresidentIntercommunalite,
    VicePresidentIntercommunalite,
    ConseillerDepartemental,
    ConseillerRegional,
    Autre,
}

impl MandateFunction {
    /// Every function, in the order forms list them.
    pub const ALL: [MandateFunction; 8] = [
        MandateFunction::Maire,
        MandateFunction::Adjoint,
        MandateFunction::ConseillerMunicipal,
        MandateFunction::PresidentIntercommunalite,
        MandateFunction::VicePresidentIntercommunalite,
        MandateFunction::ConseillerDepartemental,
        MandateFunction::ConseillerRegional,
        MandateFunction::Autre,
    ];

    /// The stable code stored and posted by forms.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// Parses a code; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Self> {
        code.trim().parse().ok()
    }
}

/// A field of the registration form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    GivenName,
    UsualName,
    Email,
    Phone,
    Function,
    Collectivity,
    CollectivityCode,
    Role,
    Password,
}

/// What is wrong with a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Missing,
    TooLong,
    Invalid,
    TooShort,
}

/// One problem of one field; the UI turns it into a sentence (`field.{field}` + `problem.{problem}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: Field,
    pub problem: Problem,
}

/// A registration as typed in the form, before checks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationInput {
    pub given_name: String,
    pub usual_name: String,
    pub email: String,
    pub phone: String,
    pub function: String,
    pub collectivity: String,
    pub collectivity_code: String,
}

/// A registration that passed every check, normalized (NFC, trimmed, e-mail lowercased, code uppercased).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub given_name: String,
    pub usual_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub function: MandateFunction,
    pub collectivity: String,
    pub collectivity_code: String,
}

const MAX_NAME: usize = 100;
const MAX_COLLECTIVITY: usize = 200;
/// Passwords shorter than this are refused (NIST SP 800-63B asks at least 8; we ask more for a public tool).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A syntactically plausible e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && email.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ','))
}

/// An INSEE commune code (5 characters: département `01`–`95`, `2A`/`2B`, or overseas `97x`/`98x`, then
/// digits) or a SIREN number (9 digits with a valid Luhn key).
pub fn is_valid_collectivity_code(code: &str) -> bool {
    let code = code.trim().to_ascii_uppercase();
    if code.len() == 9 && code.chars().all(|c| c.is_ascii_digit()) {
        return luhn_ok(&code);
    }
    if code.len() != 5 {
        return false;
    }
    let (dept, rest) = code.split_at(2);
    let dept_ok =
        dept == "2A" || dept == "2B" || (dept.chars().all(|c| c.is_ascii_digit()) && dept != "00");
    dept_ok && rest.chars().all(|c| c.is_ascii_digit())
}

fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A French or international phone number: digits, spaces, dots, dashes, one leading `+`; 10 to 15 digits.
pub fn is_plausible_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-') || (c == '+' && i == 0));
    allowed && (10..=15).contains(&digits)
}

fn required(value: &str, field: Field, max: usize, problems: &mut Vec<FieldProblem>) -> String {
    let value = normalize(value);
    if value.is_empty() {
        problems.push(FieldProblem {
            field,
            problem: Problem::Missing,
        });
    } else if value.chars().count() > max {
        problems.push(FieldProblem {
            field,
            problem: Problem::TooLong,
        });
    }
    value
}

/// Checks every field at once, so the form can show all problems together.
///
/// # Errors
/// The list of problems, one per faulty field, in form order.
pub fn check_registration(input: &RegistrationInput) -> Result<Registration, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let given_name = required(&input.given_name, Field::GivenName, MAX_NAME, &mut problems);
    let usual_name = required(&input.usual_name, Field::UsualName, MAX_NAME, &mut problems);
    let email = input.email.trim().to_lowercase();
    if email.is_empty() {
        problems.push(FieldProblem {
            field: Field::Email,
            problem: Problem::Missing,
        });
    } else if !is_plausible_email(&email) {
        problems.push(FieldProblem {
            field: Field::Email,
            problem: Problem::Invalid,
        });
    }
    let phone = input.phone.trim();
    if !phone.is_empty() && !is_plausible_phone(phone) {
        problems.push(FieldProblem {
            field: Field::Phone,
            problem: Problem::Invalid,
        });
    }
    let function = MandateFunction::from_code(&input.function);
    if function.is_none() {
        let problem = if input.function.trim().is_empty() {
            Problem::Missing
        } else {
            Problem::Invalid
        };
        problems.push(FieldProblem {
            field: Field::Function,
            problem,
        });
    }
    let collectivity = required(
        &input.collectivity,
        Field::Collectivity,
        MAX_COLLECTIVITY,
        &mut problems,
    );
    let code = input.collectivity_code.trim().to_ascii_uppercase();
    if code.is_empty() {
        problems.push(FieldProblem {
            field: Field::CollectivityCode,
            problem: Problem::Missing,
        });
    } else if !is_valid_collectivity_code(&code) {
        problems.push(FieldProblem {
            field: Field::CollectivityCode,
            problem: Problem::Invalid,
        });
    }
    match function {
        Some(function) if problems.is_empty() => Ok(Registration {
            given_name,
            usual_name,
            email,
            phone: (!phone.is_empty()).then(|| phone.to_owned()),
            function,
            collectivity,
            collectivity_code: code,
        }),
        _ => Err(problems),
    }
}

/// Checks a new password.
///
/// # Errors
/// `TooShort` under [`MIN_PASSWORD_CHARS`] characters, `TooLong` over 1,000 (hashing cost).
pub fn check_password(password: &str) -> Result<(), FieldProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(FieldProblem {
            field: Field::Password,
            problem: Problem::TooShort,
        })
    } else if chars > 1000 {
        Err(FieldProblem {
            field: Field::Password,
            problem: Problem::TooLong,
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> RegistrationInput {
        RegistrationInput {
            given_name: "  Amélie ".into(),
            usual_name: "Rousseau".into(),
            email: "Amelie.Rousseau@Mairie-Exemple.FR".into(),
            phone: "".into(),
            function: "adjoint".into(),
            collectivity: "Saint-Ferréol-des-Côtes".into(),
            collectivity_code: "63342".into(),
        }
    }

    #[test]
    fn a_complete_registration_is_normalized() {
        let registration = check_registration(&valid()).expect("valid");
        assert_eq!(registration.given_name, "Amélie");
        assert_eq!(registration.email, "amelie.rousseau@mairie-exemple.fr");
        assert_eq!(registration.function, MandateFunction::Adjoint);
        assert_eq!(registration.phone, None);
    }

    #[test]
    fn every_faulty_field_is_reported_at_once() {
        let input = RegistrationInput {
            given_name: " ".into(),
            email: "pas-une-adresse".into(),
            phone: "12".into(),
            function: "roi".into(),
            collectivity_code: "ABCDE".into(),
            ..valid()
        };
        let problems = check_registration(&input).expect_err("refused");
        let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![
                Field::GivenName,
                Field::Email,
                Field::Phone,
                Field::Function,
                Field::CollectivityCode
            ]
        );
    }

    #[test]
    fn insee_codes_and_siren_numbers_are_recognised() {
        for ok in ["75056", "2A004", "2b033", "97411", "200046977", "217500016"] {
            assert!(is_valid_collectivity_code(ok), "{ok}");
        }
        for bad in ["7505", "00123", "2C004", "200046978", "ABCDEFGHI", ""] {
            assert!(!is_valid_collectivity_code(bad), "{bad}");
        }
    }

    #[test]
    fn plausible_emails_and_phones() {
        assert!(is_plausible_email("maire@commune.fr"));
        for bad in [
            "maire",
            "maire@",
            "@commune.fr",
            "a@b",
            "a b@c.fr",
            "a@c..fr",
            "a@@c.fr",
        ] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
        assert!(is_plausible_phone("+33 4 73 00 00 00"));
        assert!(is_plausible_phone("04.73.00.00.00"));
        assert!(!is_plausible_phone("04 73"));
        assert!(!is_plausible_phone("04 73 00 00 0a"));
    }

    #[test]
    fn passwords_must_be_long_enough() {
        assert!(check_password("court").is_err());
        assert!(check_password("une phrase de passe").is_ok());
    }

    #[test]
    fn every_function_round_trips_through_its_code() {
        for function in MandateFunction::ALL {
            assert_eq!(MandateFunction::from_code(function.code()), Some(function));
        }
    }
}
