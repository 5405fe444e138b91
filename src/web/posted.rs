//! What a form's post came to (issue 12: a refused request gives back everything typed): the
//! service took it, or refused it with field errors, which the page shows again beside what
//! was typed. Its own module: it joins the form (`auth`) and the error policy (`error`).

use super::auth::AuthForm;
use super::AppResult;

/// What a form's post came to: the service took it, or refused it — then the page is shown
/// again with what was typed and each field's reason in the reader's language.
pub enum Posted<T> {
    Taken(T),
    Refused(
        std::collections::HashMap<String, String>,
        std::collections::HashMap<String, String>,
    ),
}

/// A service's answer to a form: `Refused` on bad input, any other error as itself.
pub fn posted<T>(
    answer: Result<T, crate::services::ServiceError>,
    post: &AuthForm,
) -> AppResult<Posted<T>> {
    match answer {
        Ok(t) => Ok(Posted::Taken(t)),
        Err(crate::services::ServiceError::Invalid(e)) => Ok(Posted::Refused(
            post.form.values(),
            super::error::form_messages(post.auth.lang, &e),
        )),
        Err(e) => Err(e.into()),
    }
}
