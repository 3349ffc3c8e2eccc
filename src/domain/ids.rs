//! Newtype ids: a `UserId` can never be passed where a `TokenId` is meant.

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for serde_json::Value {
            fn from(id: $name) -> serde_json::Value {
                id.0.into()
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )*};
}

id_type!(
    UserId,
    SessionId,
    TokenId,
    LinkId,
    MailId,
    PipelineId,
    StageId,
    LabelId,
    FieldId,
    ActivityId,
    RuleId,
    RunId,
    ViewId,
    ContactId,
    CompanyId,
    DealId,
    TaskId,
    ServiceId,
    AppointmentId,
    ResourceId,
    SeriesId,
    ProductId,
    RegisterId,
    RegisterSessionId,
    ReceiptId,
    InboxId,
    ConversationId,
    ConversationMessageId,
    TeamId,
);
