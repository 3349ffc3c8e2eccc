//! Every route of the API with what it takes and answers: the OpenAPI document is made from
//! this list, and a test calls each route in it.

pub use super::route_kinds::*;
use crate::domain::crm::Entity;

/// Every route of the API.
pub fn routes() -> Vec<Route> {
    use Input as I;
    use Output as O;
    let mut out = Vec::new();
    let mut add = |method: &'static str,
                   path: &str,
                   summary: &str,
                   (input, status, output, query): (Input, u16, Output, Query)| {
        out.push(Route {
            method,
            path: path.into(),
            summary: summary.into(),
            input,
            status,
            output,
            query,
        })
    };
    let gone = (I::None, 204, O::Empty, Query::None);
    add("GET", "/openapi.json", "This document", one("OpenApi"));
    add(
        "GET",
        "/account",
        "The workspace: name, profile and capabilities",
        one("Account"),
    );
    add(
        "GET",
        "/me",
        "The user the token or session acts as",
        one("User"),
    );
    add(
        "GET",
        "/search",
        "Search contacts, companies, deals, tasks and notes (?q=, ?limit=)",
        (I::None, 200, O::List("SearchHit"), Query::Search),
    );
    for e in Entity::ALL {
        let (t, s, schema) = (e.table(), e.singular(), schema_of(e));
        let id = format!("/{t}/{{id}}");
        add(
            "GET",
            &format!("/{t}"),
            &format!("List {t}"),
            (I::None, 200, O::List(schema), Query::Records(e)),
        );
        add(
            "POST",
            &format!("/{t}"),
            &format!("Create a {s}"),
            create(schema, schema),
        );
        add("GET", &id, &format!("Get a {s}"), one(schema));
        add(
            "PATCH",
            &id,
            &format!("Change a {s}"),
            change(schema, schema),
        );
        add(
            "DELETE",
            &id,
            &format!("Move a {s} to the trash (restorable for 30 days)"),
            gone,
        );
        add(
            "POST",
            &format!("/{t}/{{id}}/restore"),
            &format!("Take a {s} out of the trash"),
            one(schema),
        );
    }
    for e in Entity::ALL.into_iter().filter(|e| e.importable()) {
        let t = e.table();
        add(
            "POST",
            &format!("/{t}/import"),
            &format!(
                "Import {t} from a CSV body whose first row names the columns (?duplicates=skip|update|create)"
            ),
            (I::Csv, 200, O::One("ImportResult"), Query::Import),
        );
    }
    add("GET", "/labels", "List labels", list("Label"));
    add(
        "POST",
        "/labels",
        "Create a label",
        create("LabelInput", "Label"),
    );
    add("GET", "/labels/{id}", "Get a label", one("Label"));
    add(
        "PATCH",
        "/labels/{id}",
        "Change a label",
        change("LabelInput", "Label"),
    );
    add(
        "DELETE",
        "/labels/{id}",
        "Delete a label (records just lose it)",
        gone,
    );
    add(
        "GET",
        "/pipelines",
        "List pipelines with their stages",
        list("Pipeline"),
    );
    add(
        "POST",
        "/pipelines",
        "Create a pipeline",
        create("PipelineInput", "Pipeline"),
    );
    add(
        "GET",
        "/pipelines/{id}",
        "Get a pipeline with its stages",
        one("Pipeline"),
    );
    add(
        "PATCH",
        "/pipelines/{id}",
        "Rename a pipeline or make it the default",
        change("PipelineInput", "Pipeline"),
    );
    add(
        "DELETE",
        "/pipelines/{id}",
        "Delete an empty pipeline",
        gone,
    );
    add(
        "POST",
        "/pipelines/{id}/stages",
        "Add a stage",
        create("StageInput", "Stage"),
    );
    add(
        "PATCH",
        "/stages/{id}",
        "Change a stage",
        change("StageInput", "Stage"),
    );
    add(
        "DELETE",
        "/stages/{id}",
        "Delete a stage; ?move_to= says where its deals go",
        (I::None, 200, O::One("StageDeleted"), Query::MoveTo),
    );
    add(
        "GET",
        "/custom_fields",
        "List custom field definitions",
        list("CustomField"),
    );
    add(
        "POST",
        "/custom_fields",
        "Define a custom field",
        create("CustomFieldInput", "CustomField"),
    );
    add(
        "DELETE",
        "/custom_fields/{id}",
        "Delete a custom field and its values",
        gone,
    );
    add(
        "GET",
        "/activities",
        "List timeline entries (?kind=, ?contact_id=, ?company_id=, ?deal_id=)",
        (I::None, 200, O::List("Activity"), Query::Activities),
    );
    add(
        "POST",
        "/activities",
        "Log a call, meeting or email",
        create("ActivityInput", "Activity"),
    );
    add(
        "GET",
        "/activities/{id}",
        "Get a timeline entry",
        one("Activity"),
    );
    add(
        "DELETE",
        "/activities/{id}",
        "Delete a logged call, meeting or email",
        gone,
    );
    add(
        "GET",
        "/automations",
        "List automation rules",
        list("Automation"),
    );
    add(
        "POST",
        "/automations",
        "Create an automation rule",
        create("AutomationInput", "Automation"),
    );
    add(
        "GET",
        "/automations/{id}",
        "Get an automation rule",
        one("Automation"),
    );
    add(
        "PATCH",
        "/automations/{id}",
        "Change an automation rule (the keys given replace the rule's)",
        change("AutomationInput", "Automation"),
    );
    add(
        "DELETE",
        "/automations/{id}",
        "Delete an automation rule and its runs",
        gone,
    );
    add(
        "GET",
        "/automations/{id}/runs",
        "The latest runs of a rule (?limit=)",
        (I::None, 200, O::List("Run"), Query::Limit),
    );
    add(
        "POST",
        "/automations/{id}/test",
        "Dry run: what the rule would do for {\"record_id\": N}, without doing it",
        change("DryRunInput", "DryRun"),
    );
    add(
        "GET",
        "/automation_runs/{id}",
        "A run with its steps",
        one("RunWithSteps"),
    );
    add(
        "POST",
        "/automation_runs/{id}/retry",
        "Retry a failed run from the step that failed",
        one("RunWithSteps"),
    );
    super::kassa_routes::kassa(&mut add);
    super::inbox_routes::routes(&mut add);
    // Scheduling (404 while the workspace's `scheduling` capability is off).
    add("GET", "/services", "List services", list("Service"));
    add(
        "POST",
        "/services",
        "Create a service",
        create("ServiceInput", "Service"),
    );
    add("GET", "/services/{id}", "A service", one("Service"));
    add(
        "PUT",
        "/services/{id}",
        "Replace a service (appointments already booked keep their times)",
        change("ServiceInput", "Service"),
    );
    add("GET", "/resources", "List resources", list("Resource"));
    add(
        "POST",
        "/resources",
        "Create a resource (a room, chair or machine)",
        create("ResourceInput", "Resource"),
    );
    add(
        "GET",
        "/booking_policy",
        "How the workspace takes bookings",
        one("BookingPolicy"),
    );
    add(
        "PUT",
        "/booking_policy",
        "Change how the workspace takes bookings (what is left out stays)",
        change("BookingPolicyInput", "BookingPolicy"),
    );
    add(
        "GET",
        "/schedules/{id}",
        "A user's weekly working hours",
        one("Schedule"),
    );
    add(
        "PUT",
        "/schedules/{id}",
        "Replace a user's weekly working hours (wall times of the workspace's zone)",
        change("ScheduleInput", "Schedule"),
    );
    add(
        "POST",
        "/schedules/{id}/exceptions",
        "Other hours for a user on one day, or none: a day off",
        change("ExceptionInput", "Exception"),
    );
    add(
        "GET",
        "/availability",
        "Free slots of a service with a person on some days (of the workspace's zone)",
        (I::None, 200, O::List("Slot"), Query::Availability),
    );
    add(
        "GET",
        "/appointments",
        "List appointments starting between from and to (at most 92 days apart)",
        (I::None, 200, O::List("Appointment"), Query::Appointments),
    );
    add(
        "POST",
        "/appointments/{id}/status",
        "Confirm, mark arrived, complete, cancel (with a reason) or mark a no-show",
        change("AppointmentStatus", "Appointment"),
    );
    add(
        "POST",
        "/appointments/{id}/move",
        "Move an appointment to another time or person (409 when taken)",
        change("AppointmentMove", "Appointment"),
    );
    add(
        "POST",
        "/appointments/{id}/cancel",
        "Cancel an appointment (its client is mailed if they were before)",
        change("AppointmentCancel", "Appointment"),
    );
    add(
        "POST",
        "/appointments",
        "Book an appointment or, with repeat, a series (409 when its time is taken meanwhile)",
        create("AppointmentInput", "Appointment"),
    );
    add(
        "GET",
        "/appointments/{id}",
        "Get an appointment",
        one("Appointment"),
    );
    out
}
