//! Reading the inbox: a page of a queue with the names it shows, the queues' counts, a
//! conversation's labels, and a user's notifications.

use crate::app::{App, Tenant};
use crate::domain::capability::Capability;
use crate::domain::crm::Entity;
use crate::domain::ids::{ContactId, ConversationId};
use crate::domain::inbox::{
    Conversation, ListFilter, ListPage, Names, Notification, Queue, QueueCounts, Status,
};
use crate::error::Result;
use crate::store::conversation_lists as lists;
use crate::store::conversation_work as work;
use crate::store::users::User;

impl App {
    /// A page of a conversation list as `user` sees it.
    pub fn conversation_list(
        &self,
        tenant: &Tenant,
        user: &User,
        f: &ListFilter,
    ) -> Result<ListPage> {
        tenant.require(Capability::Inbox)?;
        lists::page(&*tenant.db.conn()?, f, user.id)
    }

    pub fn queue_counts(
        &self,
        tenant: &Tenant,
        user: &User,
        status: Status,
    ) -> Result<QueueCounts> {
        tenant.require(Capability::Inbox)?;
        let conn = tenant.db.conn()?;
        let count = |q: Queue| lists::count(&conn, q, status, user.id);
        let mut inboxes = Vec::new();
        for inbox in crate::store::inbox::inboxes(&conn)? {
            inboxes.push((inbox.id, inbox.name, count(Queue::Inbox(inbox.id))?));
        }
        let mut teams = Vec::new();
        for team in crate::store::teams::teams(&conn)? {
            teams.push((team.id, team.name, count(Queue::Team(team.id))?));
        }
        let mut people = Vec::new();
        for u in crate::store::users::list(&conn)?
            .into_iter()
            .filter(|u| u.active)
        {
            let n = count(Queue::Person(u.id))?;
            people.push((u.id, u.display_name().to_string(), n));
        }
        Ok(QueueCounts {
            teams,
            people,
            mine: count(Queue::Mine)?,
            unassigned: count(Queue::Unassigned)?,
            all: count(Queue::All)?,
            inboxes,
        })
    }

    pub fn conversation_labels(
        &self,
        tenant: &Tenant,
        id: ConversationId,
    ) -> Result<Vec<crate::domain::label::Label>> {
        tenant.require(Capability::Inbox)?;
        work::labels_of(&*tenant.db.conn()?, id)
    }

    /// `user`'s latest notifications and how many are unread.
    pub fn notifications(&self, tenant: &Tenant, user: &User) -> Result<(Vec<Notification>, i64)> {
        let conn = tenant.db.conn()?;
        Ok((
            work::notifications(&conn, user.id, 30)?,
            work::unread(&conn, user.id)?,
        ))
    }

    /// How many notifications `user` has not read (up to 100).
    pub fn notifications_unread(&self, tenant: &Tenant, user: &User) -> Result<i64> {
        work::unread(&*tenant.db.conn()?, user.id)
    }

    /// The names of the people, contacts and inboxes `rows` mention.
    pub fn conversation_names(&self, tenant: &Tenant, rows: &[Conversation]) -> Result<Names> {
        let conn = tenant.db.conn()?;
        let ids: Vec<i64> = rows
            .iter()
            .filter_map(|c| c.contact_id)
            .map(|c| c.0)
            .collect();
        let mut names = Names::default();
        for (id, title) in crate::store::crm::records::titles(&conn, Entity::Contact, &ids)? {
            names.contacts.insert(ContactId(id), title);
        }
        for u in crate::store::users::list(&conn)? {
            names.users.insert(u.id, u.display_name().to_string());
        }
        for i in crate::store::inbox::inboxes(&conn)? {
            names.inboxes.insert(i.id, i.name);
        }
        for t in crate::store::teams::teams(&conn)? {
            names.teams.insert(t.id, t.name);
        }
        Ok(names)
    }

    /// The active people a conversation can be given to: (id, name).
    pub fn inbox_people(
        &self,
        tenant: &Tenant,
    ) -> Result<Vec<(crate::domain::ids::UserId, String)>> {
        Ok(crate::store::users::list(&*tenant.db.conn()?)?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.id, u.display_name().to_string()))
            .collect())
    }

    /// The raw mail of message `message` in conversation `id`, as it arrived.
    pub fn raw_message(
        &self,
        tenant: &Tenant,
        id: ConversationId,
        message: crate::domain::ids::ConversationMessageId,
    ) -> Result<Vec<u8>> {
        tenant.require(Capability::Inbox)?;
        let conn = tenant.db.conn()?;
        crate::store::conversations::conversation_by_id(&conn, id)?
            .ok_or(crate::error::Error::NotFound)?;
        crate::store::conversations::raw(&conn, id, message)?.ok_or(crate::error::Error::NotFound)
    }

    /// How many conversations in `status` a queue holds (up to the cap).
    pub fn queue_count(
        &self,
        tenant: &Tenant,
        user: &User,
        queue: Queue,
        status: Status,
    ) -> Result<i64> {
        tenant.require(Capability::Inbox)?;
        lists::count(&*tenant.db.conn()?, queue, status, user.id)
    }

    /// A contact's latest conversations, where the workspace has the inbox.
    pub fn contact_conversations(
        &self,
        tenant: &Tenant,
        contact: ContactId,
    ) -> Result<Option<Vec<Conversation>>> {
        if !tenant.caps.allows(Capability::Inbox) {
            return Ok(None);
        }
        crate::store::conversations::of_contact(&*tenant.db.conn()?, contact, 5).map(Some)
    }

    /// Attachment `position` of a message, read back from its raw mail.
    pub fn attachment(
        &self,
        tenant: &Tenant,
        id: ConversationId,
        (message, position): (crate::domain::ids::ConversationMessageId, usize),
    ) -> Result<(crate::domain::inbox::mail::Attachment, Vec<u8>)> {
        let raw = self.raw_message(tenant, id, message)?;
        crate::domain::inbox::mail::attachment(&raw, position).ok_or(crate::error::Error::NotFound)
    }
}
