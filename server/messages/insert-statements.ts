import { messageColumns } from "./message-rows";

/**
 * Both statements check that the sender is a member, that the conversation is
 * not archived and not a thread (replies take a transaction of their own:
 * server/threads/reply-in-thread.ts) and that the clientMessageId is new; take the next sequence
 * numbers from the conversation row; and insert. Each is atomic, so numbers
 * have no gaps. A batch of one, the usual case on a quiet server, takes the
 * lighter statement (0.40 against 0.55 ms here).
 */
export const INSERT_ONE = insertOne(false);

/**
 * INSERT_ONE for a message that mentions someone: it also refuses @channel or
 * @here where the channel keeps them for its creator and admins ($8: the text
 * uses them and the sender is no admin), and stores the mentions ($6 the ids,
 * $7 their kinds) of members only, in the same statement, so a message is
 * never stored without them.
 */
export const INSERT_ONE_MENTIONING = insertOne(true);

function insertOne(mentioning: boolean): string {
  const allowedNext = `
  with allowed as (
    select 1 from conversation_members cm join conversations c on c.id = cm.conversation_id
    where cm.conversation_id = $1::uuid and cm.user_id = $2::uuid and c.archived_at is null and c.parent_id is null
      and not exists (select 1 from messages where sender_id = $2::uuid and client_message_id = $3::uuid)
      ${mentioning ? "and not ($8::boolean and c.mentions_restricted and c.created_by is distinct from $2::uuid)" : ""}
  ), next as (
    update conversations set last_seq = last_seq + 1
    where id = $1::uuid and exists (select 1 from allowed)
    returning last_seq
  )`;
  if (!mentioning) {
    return `${allowedNext}
  insert into messages as m (conversation_id, seq, sender_id, client_message_id, text)
  select $1::uuid, last_seq, $2::uuid, $3::uuid, $4::text from next
  returning 1 as k, ${messageColumns("$5::text")}`;
  }
  return `${allowedNext}, inserted as (
    insert into messages (conversation_id, seq, sender_id, client_message_id, text)
    select $1::uuid, last_seq, $2::uuid, $3::uuid, $4::text from next
    returning *
  ), noted as (${insertMentions("inserted m cross join unnest($6::uuid[], $7::text[]) x(mentioned_id, kind)")})
  select 1 as k, ${messageColumns("$5::text")} from inserted m`;
}

/**
 * Stores the mentions of `source`'s rows: a message `m` and a mention `x`, of a member or of everyone.
 * Membership is a lateral lookup with a limit, one per mention: as `exists`, the generic plan hashed the
 * whole of conversation_members.
 */
function insertMentions(source: string): string {
  return `
    insert into mentions (conversation_id, seq, mentioned_id, kind, sender_id)
    select m.conversation_id, m.seq, x.mentioned_id, x.kind::mention_kind, m.sender_id from ${source}
    left join lateral (
      select 1 as found from conversation_members cm
      where cm.conversation_id = m.conversation_id and cm.user_id = x.mentioned_id
      limit 1) member on true
    where x.kind <> 'user' or member.found is not null`;
}

/**
 * The batch keeps the first copy of a clientMessageId sent twice in it, and
 * numbers each conversation's messages in the order they arrived. It locks
 * conversation rows in id order, so that batches from several processes
 * cannot deadlock, and as its update does (`for no key update`): a reply or
 * a follow holding its share of the row (`for key share`) does not hold up
 * the batch, and every send to another conversation in it.
 *
 * The membership and duplicate checks are lateral lookups with a limit, one
 * per row, rather than joins: a connection plans a prepared statement once,
 * and written as joins, a plan made while `messages` was young and never
 * analyzed hashed the whole table on every batch from then on (S4: batches of
 * two went from 2 to 12 ms as 24,000 messages arrived). A per-row lookup can
 * only choose between the index and scanning a table the planner believes tiny.
 */
export const INSERT_MANY = insertMany(false);

/**
 * INSERT_MANY for a batch in which someone is mentioned: $6 says for each
 * message whether it uses @channel or @here without its sender being an admin
 * (as text: postgres.js declares an array of booleans a boolean, and the cast fails),
 * and $7 to $9 list the mentions, each by the position of its message.
 */
export const INSERT_MANY_MENTIONING = insertMany(true);

function insertMany(mentioning: boolean): string {
  return `
  with input as (
    ${
      mentioning
        ? `select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[]::boolean[])
      with ordinality as i(conversation_id, sender_id, client_message_id, text, sender_name, restricted_use, k)`
        : `select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[])
      with ordinality as i(conversation_id, sender_id, client_message_id, text, sender_name, k)`
    }
  ), allowed as (
    select distinct on (i.sender_id, i.client_message_id) i.* from input i
    cross join lateral (
      select 1 from conversation_members cm join conversations c on c.id = cm.conversation_id
      where cm.conversation_id = i.conversation_id and cm.user_id = i.sender_id and c.archived_at is null
        and c.parent_id is null
        ${mentioning ? "and not (i.restricted_use and c.mentions_restricted and c.created_by is distinct from i.sender_id)" : ""}
      limit 1) member
    left join lateral (
      select 1 as found from messages m
      where m.sender_id = i.sender_id and m.client_message_id = i.client_message_id
      limit 1) stored on true
    where stored.found is null
    order by i.sender_id, i.client_message_id, i.k
  ), numbered as (
    select a.*, row_number() over (partition by a.conversation_id order by a.k) as n,
      count(*) over (partition by a.conversation_id) as total
    from allowed a
  ), locked as materialized (
    select id from conversations where id in (select conversation_id from numbered) order by id for no key update
  ), bumped as (
    update conversations c set last_seq = c.last_seq + t.total
    from (select conversation_id, max(total) as total from numbered group by conversation_id) t
    join locked l on l.id = t.conversation_id
    where c.id = t.conversation_id
    returning c.id, c.last_seq
  ), inserted as (
    insert into messages (conversation_id, seq, sender_id, client_message_id, text)
    select n.conversation_id, b.last_seq - n.total + n.n, n.sender_id, n.client_message_id, n.text
    from numbered n join bumped b on b.id = n.conversation_id
    returning *
  )${
    mentioning
      ? `, noted as (${insertMentions(`inserted m join numbered n on n.sender_id = m.sender_id and n.client_message_id = m.client_message_id
        join unnest($7::int[], $8::uuid[], $9::text[]) x(k, mentioned_id, kind) on x.k = n.k`)})`
      : ""
  }
  select n.k::int as k, ${messageColumns("n.sender_name")}
  from inserted m join numbered n on n.sender_id = m.sender_id and n.client_message_id = m.client_message_id`;
}
