//! The pages' JavaScript in a real browser (headless Chromium over WebDriver): the command
//! palette, a record picker's search-as-you-type, and the board's moves.

use crate::support::browser::{Browser, key};
use crate::support::{PASSWORD, TestApp};
use onebox::domain::capability::Profile;
use serde_json::json;

/// A workspace with its owner, and a browser signed in to it; the workspace's address.
fn signed_in(app: &TestApp) -> (Browser, String) {
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let base = format!("http://{}/t/acme", app.addr());
    let mut browser = Browser::start(1280, 900);
    browser.sign_in(&base, "owner@acme.test", PASSWORD);
    (browser, base)
}

/// Opens the command palette with Ctrl+K and types `text` into it.
fn search_in_palette(browser: &mut Browser, text: &str) {
    browser.press(&[key::CONTROL, "k"]);
    let input = browser.wait_for("#palette-input");
    browser.type_into(&input, text);
}

#[test]
fn the_palette_goes_from_ctrl_k_to_a_record_by_its_name() {
    let app = TestApp::start();
    let (mut browser, base) = signed_in(&app);
    let mut api = app.api("acme", "owner@acme.test");
    for name in ["Zora", "Zoran"] {
        api.json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": name, "last_name": "Quist", "email": format!("{name}@quist.test")}),
        );
    }
    let zoran = api.get("/t/acme/api/v1/contacts?q=zoran").json()["data"][0]["id"].clone();

    browser.goto(&format!("{base}/"));
    browser.wait_for("main h1");
    search_in_palette(&mut browser, "zoran qu");
    browser.wait_until(
        "the record is offered, with its detail",
        "return [...document.querySelectorAll('#palette-list li')].some(li => li.textContent.includes('Zoran Quist') && li.textContent.includes('zoran@quist.test'));",
    );
    // The commands that match come first; walk down to the record.
    let place = browser.eval(
        "return [...document.querySelectorAll('#palette-list li')].findIndex(li => li.textContent.includes('Zoran Quist'));",
        json!([]),
    );
    for _ in 0..place.as_i64().expect("an index") {
        browser.press(&[key::DOWN]);
    }
    browser.press(&[key::ENTER]);
    browser.wait_until(
        "the contact's page opened",
        &format!("return location.pathname === '/t/acme/contacts/{zoran}';"),
    );

    search_in_palette(&mut browser, "xylophone");
    browser.wait_until(
        "an empty state says nothing matched",
        "return document.querySelector('.palette-empty').textContent.includes('Nothing matches');",
    );
}

#[test]
fn a_picker_finds_a_company_beyond_the_select_box_as_one_types() {
    let app = TestApp::start();
    let (mut browser, base) = signed_in(&app);
    let mut api = app.api("acme", "owner@acme.test");
    for i in 0..60 {
        api.json(
            "POST",
            "/t/acme/api/v1/companies",
            &json!({"name": format!("Filler {i:02}")}),
        );
    }
    let made = api.json(
        "POST",
        "/t/acme/api/v1/companies",
        &json!({"name": "Zeta Unique", "domain": "zeta.example"}),
    );
    let zeta = made.json()["id"].clone();

    browser.goto(&format!("{base}/contacts/new"));
    let first = browser.wait_for("input[name=first_name]");
    browser.type_into(&first, "Zed");
    let picker = browser.wait_for("input[data-picker=companies]");
    assert_eq!(
        browser.eval(
            "return document.querySelector('input[data-picker=companies]').getAttribute('role');",
            json!([])
        ),
        json!("combobox")
    );
    browser.type_into(&picker, "zeta");
    browser.wait_until(
        "the company is offered with its domain",
        "return [...document.querySelectorAll('.picker-list li')].some(li => li.textContent.includes('Zeta Unique') && li.textContent.includes('zeta.example'));",
    );
    browser.press(&[key::DOWN]);
    browser.press(&[key::ENTER]);
    assert_eq!(
        browser.eval(
            "return document.querySelector('input[type=hidden][name=company_id]').value;",
            json!([])
        ),
        json!(zeta.to_string()),
        "picking sets the link"
    );
    let save = browser.wait_for("main form button.primary[type=submit]");
    browser.click(&save);
    browser.wait_until(
        "saved",
        "return /\\/contacts\\/\\d+$/.test(location.pathname);",
    );
    let saved = api.get("/t/acme/api/v1/contacts?q=zed").json();
    assert_eq!(saved["data"][0]["company_id"], zeta, "{saved}");
}

/// Whether the card of deal `id` is in the column of stage `stage`, on the page as loaded
/// (`window.stayed`, set once, is still there: no reload).
fn card_in(id: &serde_json::Value, stage: i64) -> String {
    format!(
        "return window.stayed === true && !!document.querySelector('.column[data-stage=\"{stage}\"] li.card[data-deal=\"{id}\"]');"
    )
}

#[test]
fn board_cards_move_by_keyboard_and_drag_in_place_and_a_lost_move_asks_why() {
    let app = TestApp::start();
    let (mut browser, base) = signed_in(&app);
    let mut api = app.api("acme", "owner@acme.test");
    let made = api.json(
        "POST",
        "/t/acme/api/v1/deals",
        &json!({"title": "Wedding cakes", "amount": 250000, "stage_id": 1}),
    );
    let deal = made.json()["id"].clone();
    browser.goto(&format!("{base}/deals/board"));
    browser.wait_for(&format!("li.card[data-deal=\"{deal}\"]"));
    browser.eval("window.stayed = true;", json!([]));

    // From the keyboard: pick up, one column on, put down.
    let focus = format!("document.querySelector('li.card[data-deal=\"{deal}\"]').focus();");
    browser.eval(&focus, json!([]));
    browser.press(&[key::SPACE]);
    browser.press(&[key::RIGHT]);
    browser.press(&[key::SPACE]);
    browser.wait_until("moved to the second stage in place", &card_in(&deal, 2));
    let shown = browser.wait_for("#main > .flash");
    assert!(browser.text(&shown).contains("Wedding cakes is now in"));
    assert_eq!(
        browser.eval(
            "return document.querySelector('.column[data-stage=\"2\"] header p').textContent;",
            json!([])
        ),
        json!("1 · €2,500.00"),
        "the column's count and total follow"
    );
    assert_eq!(
        browser.eval("return document.activeElement.dataset.deal;", json!([])),
        json!(deal.to_string()),
        "the moved card keeps the focus"
    );

    // Picked up, aimed back, put back with Escape: nothing moves.
    browser.press(&[key::SPACE]);
    browser.press(&[key::LEFT]);
    browser.press(&[key::ESCAPE]);
    assert_eq!(
        browser.eval(
            "return document.getElementById('board-status').textContent;",
            json!([])
        ),
        json!("Move cancelled.")
    );
    assert_eq!(browser.eval(&card_in(&deal, 2), json!([])), json!(true));

    // Dragged onto the third stage.
    browser.eval(
        "const card = document.querySelector(`li.card[data-deal=\"${arguments[0]}\"]`);
         const column = document.querySelector('.column[data-stage=\"3\"]');
         const data = new DataTransfer();
         card.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));
         column.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data}));
         column.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));",
        json!([deal]),
    );
    browser.wait_until("dragged to the third stage", &card_in(&deal, 3));

    // To Lost (three columns on) without a reason: asked, refused with the reason shown.
    let to_lost = |browser: &mut Browser| {
        browser.eval(&focus, json!([]));
        browser.press(&[key::SPACE]);
        for _ in 0..3 {
            browser.press(&[key::RIGHT]);
        }
        browser.press(&[key::SPACE]);
        browser.wait_for("#lost-dialog input[name=lost_reason]")
    };
    to_lost(&mut browser);
    browser.press(&[key::ENTER]);
    browser.wait_until(
        "the refusal says why",
        "return (document.querySelector('#main > .flash.error') || {}).textContent?.includes('Reason lost is required');",
    );
    assert_eq!(browser.eval(&card_in(&deal, 3), json!([])), json!(true));

    let reason = to_lost(&mut browser);
    browser.type_into(&reason, "Too dear");
    browser.press(&[key::ENTER]);
    browser.wait_until(
        "lost, off the open columns",
        &format!("return window.stayed === true && !document.querySelector('li.card[data-deal=\"{deal}\"]') && document.querySelector('#main > .flash.success') !== null;"),
    );
    let lost = api.get(&format!("/t/acme/api/v1/deals/{deal}")).json();
    assert_eq!(
        (lost["status"].as_str(), lost["lost_reason"].as_str()),
        (Some("lost"), Some("Too dear"))
    );
}

/// On a 390 px phone the header and navigation take little room, the navigation stays one
/// line, and a list is a stack of cards that name each value.
#[test]
fn on_a_phone_lists_are_cards_under_a_compact_header() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    for name in ["Anna", "Bram"] {
        api.json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": name, "email": format!("{name}@example.test")}),
        );
    }
    let base = format!("http://{}/t/acme", app.addr());
    let mut browser = Browser::start(390, 844);
    browser.sign_in(&base, "owner@acme.test", PASSWORD);
    browser.goto(&format!("{base}/contacts"));
    browser.wait_for("table.list tbody tr");
    let layout = browser.eval(
        "const nav = document.querySelector('.sidenav').getBoundingClientRect();
         const row = document.querySelector('table.list tbody tr');
         const cell = row.querySelector('td[data-col=\"Email\"]');
         return {
           navBottom: nav.bottom,
           navHeight: nav.height,
           row: getComputedStyle(row).display,
           label: getComputedStyle(cell, '::before').content,
           head: document.querySelector('table.list thead').getBoundingClientRect().height,
           wide: document.documentElement.scrollWidth,
           inner: window.innerWidth,
         };",
        json!([]),
    );
    assert!(
        layout["navBottom"].as_f64().unwrap_or(999.0) < 200.0,
        "{layout}"
    );
    assert!(
        layout["navHeight"].as_f64().unwrap_or(999.0) < 70.0,
        "one line: {layout}"
    );
    assert_eq!(layout["row"], "block", "{layout}");
    assert_eq!(layout["label"], "\"Email\"", "{layout}");
    assert!(layout["head"].as_f64().unwrap_or(9.0) <= 1.0, "{layout}");
    let inner = layout["inner"].as_f64().unwrap_or(999.0);
    assert!(inner <= 390.0, "a phone's width: {layout}");
    assert!(
        layout["wide"].as_f64().unwrap_or(999.0) <= inner,
        "no sideways scrolling: {layout}"
    );
}

/// axe-core finds no serious or critical accessibility problem on the main pages, on a desktop
/// in light colours and on a phone in dark ones.
#[test]
fn the_main_pages_have_no_serious_accessibility_problems() {
    let app = TestApp::start();
    let (mut browser, base) = signed_in(&app);
    let mut api = app.api("acme", "owner@acme.test");
    let contact = api
        .json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": "Ann", "last_name": "Smith", "email": "ann@example.test"}),
        )
        .json()["id"]
        .clone();
    api.json(
        "POST",
        "/t/acme/api/v1/deals",
        &json!({"title": "Colour course", "amount": 120000, "contact_id": contact}),
    );
    let axe = crate::support::axe::source();
    // Each page, and what to open on it first (a list's menus open over the table).
    let open_menu =
        |n: usize| format!("document.querySelectorAll('details.menu')[{n}].open = true;");
    let pages = [
        ("/".to_string(), String::new()),
        ("/contacts".into(), String::new()),
        ("/contacts?lifecycle=lead".into(), open_menu(0)),
        ("/contacts".into(), open_menu(1)),
        ("/contacts".into(), open_menu(2)),
        (format!("/contacts/{contact}"), String::new()),
        ("/contacts/new".into(), String::new()),
        ("/deals/board".into(), String::new()),
        ("/tasks/mine".into(), String::new()),
        ("/settings/password".into(), String::new()),
        ("/settings/account".into(), String::new()),
    ];
    for (width, height, dark) in [(1280, 900, false), (390, 844, true)] {
        browser.resize(width, height);
        browser.dark(dark);
        for (page, first) in &pages {
            browser.goto(&format!("{base}{page}"));
            browser.wait_for("#main");
            browser.eval(first, json!([]));
            let found = crate::support::axe::serious_problems(&mut browser, &axe);
            assert_eq!(found, json!([]), "{page} at {width} px");
        }
    }
}

/// With JavaScript, a list's bulk bar shows only while rows are ticked, and counts them.
#[test]
fn the_bulk_bar_shows_while_rows_are_ticked() {
    let app = TestApp::start();
    let (mut browser, base) = signed_in(&app);
    let mut api = app.api("acme", "owner@acme.test");
    for name in ["Anna", "Bram", "Cor"] {
        api.json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": name}),
        );
    }
    browser.goto(&format!("{base}/contacts"));
    browser.wait_for("table.list tbody tr");
    let hidden = "return !document.getElementById('bulk').checkVisibility();";
    assert_eq!(
        browser.eval(hidden, json!([])),
        json!(true),
        "nothing ticked"
    );
    let boxes = "document.querySelectorAll('input[name=ids]')";
    browser.eval(
        &format!("{boxes}[0].click(); {boxes}[2].click();"),
        json!([]),
    );
    assert_eq!(browser.eval(hidden, json!([])), json!(false));
    let said = browser.eval(
        "return document.querySelector('label[for=bulk-action]').textContent;",
        json!([]),
    );
    assert_eq!(said, json!("With the 2 selected:"));
    browser.eval(
        "document.querySelector('input[data-select-all]').click();",
        json!([]),
    );
    assert_eq!(
        browser.eval(
            "return document.querySelector('label[for=bulk-action]').textContent;",
            json!([])
        ),
        json!("With the 3 selected:")
    );
}

/// On a phone the board shows about one column at a time, and the stage links jump to each.
#[test]
fn on_a_phone_the_board_switches_between_stages() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let base = format!("http://{}/t/acme", app.addr());
    let mut browser = Browser::start(390, 844);
    browser.sign_in(&base, "owner@acme.test", PASSWORD);
    browser.goto(&format!("{base}/deals/board"));
    let links = browser.wait_for(".stage-switch a");
    assert!(browser.text(&links).len() > 1, "the first stage's name");
    let third = "document.querySelectorAll('.stage-switch a')[2]";
    browser.eval(&format!("{third}.click();"), json!([]));
    browser.wait_until(
        "the third column comes into view",
        &format!(
            "const id = {third}.getAttribute('href').slice(1);
             const col = document.getElementById(id).getBoundingClientRect();
             const board = document.querySelector('.board').getBoundingClientRect();
             return Math.abs(col.left - board.left) < 30 && col.width < 390;"
        ),
    );
}

#[test]
fn a_user_who_chooses_dutch_gets_the_pages_and_their_script_in_dutch() {
    let app = TestApp::start();
    let (mut browser, base) = signed_in(&app);
    let mut api = app.api("acme", "owner@acme.test");
    api.json(
        "POST",
        "/t/acme/api/v1/deals",
        &json!({"title": "Bruidstaart", "amount": 123456, "stage_id": 1}),
    );
    browser.goto(&format!("{base}/settings/password"));
    browser.wait_for("#f-language");
    browser.eval(
        "const choice = document.getElementById('f-language'); choice.value = 'nl'; choice.form.submit();",
        json!([]),
    );
    browser.wait_until(
        "the page came back in Dutch",
        "return document.documentElement.lang === 'nl' && document.querySelector('#main > .flash').textContent === 'Taal opgeslagen.';",
    );

    search_in_palette(&mut browser, "contacten");
    browser.wait_until(
        "the palette's commands are in Dutch",
        "return [...document.querySelectorAll('#palette-list li')].some(li => li.textContent.includes('Ga naar Contacten'));",
    );
    browser.press(&[key::ESCAPE]);
    search_in_palette(&mut browser, "xylofoon");
    browser.wait_until(
        "the script says nothing matched, in Dutch",
        "return document.querySelector('.palette-empty').textContent.startsWith('Niets gevonden voor “xylofoon”');",
    );
    browser.press(&[key::ESCAPE]);

    browser.goto(&format!("{base}/deals/board"));
    browser.wait_for("li.card");
    let card = browser.eval(
        "return document.querySelector('li.card').textContent;",
        json!([]),
    );
    assert!(
        card.as_str().is_some_and(|t| t.contains("€\u{a0}1.234,56")),
        "Dutch money on the card: {card}"
    );
    browser.eval("document.querySelector('li.card').focus();", json!([]));
    browser.press(&[key::SPACE]);
    browser.press(&[key::RIGHT]);
    let aimed = browser.eval(
        "return document.getElementById('board-status').textContent;",
        json!([]),
    );
    assert!(
        aimed
            .as_str()
            .is_some_and(|s| s.starts_with("Bruidstaart: naar ")
                && s.ends_with("Spatie om te verplaatsen, Escape om te annuleren.")),
        "{aimed}"
    );
    browser.press(&[key::ESCAPE]);
    assert_eq!(
        browser.eval(
            "return document.getElementById('board-status').textContent;",
            json!([])
        ),
        json!("Verplaatsen geannuleerd.")
    );
}

#[test]
fn a_list_cell_is_edited_in_place_and_a_refusal_stays_in_the_cell() {
    let app = TestApp::start();
    let (mut browser, base) = signed_in(&app);
    let mut api = app.api("acme", "owner@acme.test");
    let ann = api.json(
        "POST",
        "/t/acme/api/v1/contacts",
        &json!({"first_name": "Ann", "email": "ann@old.test"}),
    );
    let ann = ann.json()["id"].clone();
    browser.goto(&format!("{base}/contacts"));
    let cell = |field: &str| {
        format!("document.querySelector('tr[data-id=\"{ann}\"] td[data-edit={field}]')")
    };
    browser.wait_for("td[data-edit=email]");
    // Enter on the focused cell opens an input; Enter again saves through the API.
    browser.eval(&format!("{}.focus();", cell("email")), json!([]));
    browser.press(&[key::ENTER]);
    browser.wait_until(
        "an input opened",
        &format!("return !!{}.querySelector('input');", cell("email")),
    );
    browser.eval(
        &format!(
            "{}.querySelector('input').value = 'not an address';",
            cell("email")
        ),
        json!([]),
    );
    browser.press(&[key::ENTER]);
    browser.wait_until(
        "the refusal shows in the cell",
        &format!(
            "return {}.querySelector('.cell-error').textContent.length > 0;",
            cell("email")
        ),
    );
    assert_eq!(
        api.get(&format!("/t/acme/api/v1/contacts/{ann}")).json()["email"],
        "ann@old.test"
    );
    browser.eval(
        &format!(
            "{}.querySelector('input').value = 'ann@new.test';",
            cell("email")
        ),
        json!([]),
    );
    browser.press(&[key::ENTER]);
    browser.wait_until(
        "saved",
        &format!("return {}.textContent === 'ann@new.test';", cell("email")),
    );
    assert_eq!(
        api.get(&format!("/t/acme/api/v1/contacts/{ann}")).json()["email"],
        "ann@new.test"
    );

    // A choice opens as a select of its words, and the cell shows the words chosen.
    browser.eval(&format!("{}.focus();", cell("lifecycle")), json!([]));
    browser.press(&[key::ENTER]);
    browser.wait_until(
        "a select opened",
        &format!("return !!{}.querySelector('select');", cell("lifecycle")),
    );
    browser.eval(
        &format!(
            "{}.querySelector('select').value = 'customer';",
            cell("lifecycle")
        ),
        json!([]),
    );
    browser.press(&[key::ENTER]);
    browser.wait_until(
        "saved",
        &format!("return {}.textContent === 'Customer';", cell("lifecycle")),
    );
    assert_eq!(
        api.get(&format!("/t/acme/api/v1/contacts/{ann}")).json()["lifecycle"],
        "customer"
    );
}

#[test]
fn ticked_rows_go_to_the_trash_after_a_confirmation_and_come_back_with_undo() {
    let app = TestApp::start();
    let (mut browser, base) = signed_in(&app);
    let mut api = app.api("acme", "owner@acme.test");
    for name in ["Anna", "Bram", "Cor"] {
        api.json(
            "POST",
            "/t/acme/api/v1/contacts",
            &json!({"first_name": name}),
        );
    }
    browser.goto(&format!("{base}/contacts"));
    browser.wait_for("table.list tbody tr");
    let boxes = "document.querySelectorAll('input[name=ids]')";
    browser.eval(
        &format!("{boxes}[0].click(); {boxes}[1].click();"),
        json!([]),
    );
    browser.eval(
        "document.getElementById('bulk-action').value = 'trash'; document.querySelector('#bulk button[type=submit]').click();",
        json!([]),
    );
    let asked = browser.wait_for("main h1");
    assert_eq!(browser.text(&asked), "Move 2 contacts to the trash?");
    assert_eq!(
        api.get("/t/acme/api/v1/contacts").json()["total"],
        3,
        "nothing moved before the answer"
    );
    let confirm = browser.wait_for("button.danger[type=submit]");
    browser.click(&confirm);
    browser.wait_until(
        "the list says what moved and offers to undo it",
        "return document.querySelector('#main .flash.success') && document.querySelector('#main .flash.success').textContent.includes('Moved 2 contacts to the trash.');",
    );
    assert_eq!(api.get("/t/acme/api/v1/contacts").json()["total"], 1);
    let undo = browser.wait_for("#main .flash.success button[type=submit]");
    browser.click(&undo);
    browser.wait_until(
        "undone",
        "return document.querySelector('#main > .flash') && document.querySelector('#main > .flash').textContent.includes('Done for 2 contacts.');",
    );
    assert_eq!(api.get("/t/acme/api/v1/contacts").json()["total"], 3);
}

#[test]
fn an_import_maps_its_columns_in_the_browser_and_runs_to_its_report() {
    let app = TestApp::start();
    let (mut browser, base) = signed_in(&app);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("klanten.csv");
    std::fs::write(
        &file,
        "Voornaam,Achternaam,E-mail,Herkomst\nSanne,de Vries,sanne@example.nl,beurs\nDaan,Bakker,daan@example.nl,website\n",
    )
    .expect("write the file");
    browser.goto(&format!("{base}/contacts/import"));
    let input = browser.wait_for("input[type=file]");
    browser.type_into(&input, file.to_str().expect("a path"));
    let preview = browser.wait_for("form[enctype] button[type=submit]");
    browser.click(&preview);
    browser.wait_for("select[name='map.0']");
    let mapped =
        |i: usize| format!("return document.querySelector(\"select[name='map.{i}']\").value;");
    assert_eq!(
        browser.eval(&mapped(0), json!([])),
        json!("first_name"),
        "Dutch headers are known"
    );
    assert_eq!(browser.eval(&mapped(2), json!([])), json!("email"));
    assert_eq!(
        browser.eval(&mapped(3), json!([])),
        json!(""),
        "an unknown header is ignored at first"
    );
    // Map the unknown column by hand, then import.
    browser.eval(
        "document.querySelector(\"select[name='map.3']\").value = 'source';",
        json!([]),
    );
    let go = browser.wait_for("form button.primary[type=submit]");
    browser.click(&go);
    browser.wait_until(
        "the report says what was made",
        "return !!document.querySelector('p[role=status]') && document.querySelector('p[role=status]').textContent.startsWith('2 created');",
    );
    let mut api = app.api("acme", "owner@acme.test");
    let sanne = api.get("/t/acme/api/v1/contacts?q=sanne").json();
    assert_eq!(sanne["data"][0]["source"], "beurs", "{sanne}");
    assert_eq!(sanne["data"][0]["last_name"], "de Vries");
}

#[test]
fn a_stage_dragged_in_the_pipeline_settings_keeps_its_new_place() {
    let app = TestApp::start();
    let (mut browser, base) = signed_in(&app);
    let mut api = app.api("acme", "owner@acme.test");
    let order = |api: &mut crate::support::http::Client| -> Vec<String> {
        api.get("/t/acme/api/v1/pipelines").json()["data"][0]["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .map(|s| s["name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let before = order(&mut api);
    browser.goto(&format!("{base}/settings/pipelines"));
    browser.wait_for("table.stages td.handle");
    // The first stage's handle, dragged below the second stage's row.
    browser.eval(
        "const rows = document.querySelectorAll('table.stages tr[data-stage]');
         const data = new DataTransfer();
         const handle = rows[0].querySelector('td.handle');
         const r = rows[1].getBoundingClientRect();
         handle.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));
         rows[1].dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data, clientY: r.bottom - 2}));
         handle.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: data}));",
        json!([]),
    );
    let mut expected = before.clone();
    expected.swap(0, 1);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while order(&mut api) != expected {
        assert!(
            std::time::Instant::now() < deadline,
            "the new order is saved: {:?}",
            order(&mut api)
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    browser.wait_until(
        "the page shows the saved order",
        &format!(
            "return document.querySelector('table.stages tr[data-stage] input[name=name]').value === {};",
            json!(expected[0])
        ),
    );
}
