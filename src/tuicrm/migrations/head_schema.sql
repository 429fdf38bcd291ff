CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE customer (
	id INTEGER NOT NULL, 
	code VARCHAR(16) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	alias VARCHAR, 
	industry VARCHAR, 
	size VARCHAR, 
	kind VARCHAR, 
	source VARCHAR, 
	first_contact_on DATE, 
	status VARCHAR NOT NULL, 
	tier VARCHAR NOT NULL, 
	needs VARCHAR, 
	budget_min BIGINT, 
	budget_max BIGINT, 
	purchase_by DATE, 
	revenue_total BIGINT, 
	last_deal_on DATE, 
	address VARCHAR, 
	phone VARCHAR, 
	email VARCHAR, 
	tags VARCHAR, 
	notes VARCHAR, 
	owner VARCHAR, 
	next_follow_up_on DATE, 
	next_action VARCHAR, 
	search_text VARCHAR NOT NULL, 
	archived_at DATETIME, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, version INTEGER DEFAULT '1' NOT NULL, registered_address VARCHAR, region VARCHAR, company_revenue BIGINT, product_preference VARCHAR, payment_method VARCHAR, renewal_risk VARCHAR, renewal_on DATE, payment_terms VARCHAR, 
	PRIMARY KEY (id), 
	UNIQUE (code)
);
CREATE INDEX ix_customer_due ON customer (archived_at, next_follow_up_on);
CREATE INDEX ix_customer_name ON customer (name);
CREATE INDEX ix_customer_status ON customer (status);
CREATE INDEX ix_customer_tier ON customer (tier);
CREATE TABLE contact (
	id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	title VARCHAR, 
	department VARCHAR, 
	role VARCHAR, 
	phone VARCHAR, 
	mobile VARCHAR, 
	email VARCHAR, 
	im VARCHAR, 
	birthday DATE, 
	relationship VARCHAR, 
	prefers VARCHAR, 
	interests VARCHAR, 
	notes VARCHAR, 
	is_primary BOOLEAN NOT NULL, 
	is_key_decision_maker BOOLEAN NOT NULL, 
	archived_at DATETIME, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, version INTEGER DEFAULT '1' NOT NULL, gender VARCHAR, education VARCHAR, work_history VARCHAR, anniversary DATE, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id)
);
CREATE INDEX ix_contact_customer_id ON contact (customer_id);
CREATE TABLE tierassessment (
	id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	potential INTEGER NOT NULL, 
	willingness INTEGER NOT NULL, 
	total INTEGER NOT NULL, 
	tier VARCHAR NOT NULL, 
	basis VARCHAR, 
	strategy VARCHAR, 
	assessed_on DATE NOT NULL, 
	assessor VARCHAR, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, version INTEGER DEFAULT '1' NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id)
);
CREATE INDEX ix_tierassessment_customer ON tierassessment (customer_id, assessed_on);
CREATE TABLE opportunity (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	customer_id INTEGER NOT NULL, 
	amount BIGINT NOT NULL, 
	expected_close_on DATE, 
	stage VARCHAR NOT NULL, 
	probability INTEGER NOT NULL, 
	decision_maker_id INTEGER, 
	competitors VARCHAR, 
	risks VARCHAR, 
	"plan" VARCHAR, 
	owner VARCHAR, 
	lost_reason VARCHAR, 
	closed_on DATE, 
	archived_at DATETIME, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, version INTEGER DEFAULT '1' NOT NULL, probability_set BOOLEAN DEFAULT '0' NOT NULL, product VARCHAR, strengths VARCHAR, weaknesses VARCHAR, key_success_factors VARCHAR, next_step VARCHAR, next_step_owner VARCHAR, next_step_due_on DATE, next_step_done_on DATE, currency VARCHAR, renewal_on DATE, lost_detail VARCHAR, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id), 
	FOREIGN KEY(decision_maker_id) REFERENCES contact (id)
);
CREATE INDEX ix_opportunity_customer_id ON opportunity (customer_id);
CREATE INDEX ix_opportunity_stage ON opportunity (stage, archived_at);
CREATE TABLE followup (
	id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	contact_id INTEGER, 
	opportunity_id INTEGER, 
	at DATETIME NOT NULL, 
	channel VARCHAR NOT NULL, 
	summary VARCHAR NOT NULL, 
	feedback VARCHAR, 
	attitude VARCHAR, 
	next_action VARCHAR, 
	next_on DATE, 
	goal VARCHAR, 
	owner VARCHAR, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, version INTEGER DEFAULT '1' NOT NULL, objection VARCHAR, place VARCHAR, attendees VARCHAR, outcome VARCHAR, 
	PRIMARY KEY (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id), 
	FOREIGN KEY(opportunity_id) REFERENCES opportunity (id)
);
CREATE INDEX ix_followup_at ON followup (at);
CREATE INDEX ix_followup_customer_at ON followup (customer_id, at);
CREATE INDEX ix_followup_opportunity_id ON followup (opportunity_id);
CREATE TABLE stagechange (
	id INTEGER NOT NULL, 
	opportunity_id INTEGER NOT NULL, 
	from_stage VARCHAR, 
	to_stage VARCHAR NOT NULL, 
	at DATETIME NOT NULL, 
	note VARCHAR, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, version INTEGER DEFAULT '1' NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(opportunity_id) REFERENCES opportunity (id)
);
CREATE INDEX ix_stagechange_opportunity_at ON stagechange (opportunity_id, at);
CREATE TABLE operation (
	id INTEGER NOT NULL, 
	label VARCHAR NOT NULL, 
	at DATETIME NOT NULL, 
	undone_at DATETIME, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE operationrow (
	id INTEGER NOT NULL, 
	operation_id INTEGER NOT NULL, 
	table_name VARCHAR NOT NULL, 
	row_id INTEGER NOT NULL, 
	action VARCHAR NOT NULL, 
	"before" VARCHAR, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(operation_id) REFERENCES operation (id)
);
CREATE INDEX ix_operationrow_operation_id ON operationrow (operation_id);
CREATE TABLE snooze (
	id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	from_on DATE, 
	to_on DATE NOT NULL, 
	at DATETIME NOT NULL, 
	reason VARCHAR, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, version INTEGER DEFAULT '1' NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id)
);
CREATE INDEX ix_snooze_customer_id ON snooze (customer_id);
CREATE INDEX ix_customer_live_name ON customer (name) WHERE archived_at IS NULL;
CREATE INDEX ix_customer_live_code ON customer (code) WHERE archived_at IS NULL;
CREATE INDEX ix_customer_live_tier ON customer (tier) WHERE archived_at IS NULL;
CREATE INDEX ix_customer_live_status ON customer (status) WHERE archived_at IS NULL;
CREATE INDEX ix_customer_live_industry ON customer (industry) WHERE archived_at IS NULL;
CREATE INDEX ix_customer_live_owner ON customer (owner) WHERE archived_at IS NULL;
CREATE INDEX ix_customer_pending ON customer (next_follow_up_on, tier, archived_at) WHERE archived_at IS NULL AND next_follow_up_on IS NOT NULL;
CREATE INDEX ix_opportunity_open ON opportunity (customer_id, amount, stage, archived_at) WHERE archived_at IS NULL AND stage IN ('lead', 'need', 'proposal', 'negotiation');
CREATE VIRTUAL TABLE customer_fts USING fts5(search_text, tokenize='trigram');
CREATE TRIGGER customer_fts_ai AFTER INSERT ON customer WHEN new.archived_at IS NULL BEGIN
         INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END;
CREATE TRIGGER customer_fts_ad AFTER DELETE ON customer BEGIN
         DELETE FROM customer_fts WHERE rowid = old.id;
       END;
CREATE VIRTUAL TABLE customer_fts_vocab USING fts5vocab(customer_fts, 'row');
CREATE INDEX ix_customer_live_tail2 ON customer (substr(search_text, -2)) WHERE archived_at IS NULL;
CREATE INDEX ix_customer_live_tail1 ON customer (substr(search_text, -1)) WHERE archived_at IS NULL;
CREATE TABLE statuschange (
	id INTEGER NOT NULL, 
	version INTEGER DEFAULT '1' NOT NULL, 
	customer_id INTEGER NOT NULL, 
	from_status VARCHAR, 
	to_status VARCHAR NOT NULL, 
	at DATETIME NOT NULL, 
	by_user VARCHAR, 
	note VARCHAR, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id)
);
CREATE INDEX ix_statuschange_customer_at ON statuschange (customer_id, at);
CREATE INDEX ix_statuschange_unsigned ON statuschange (id) WHERE by_user IS NULL;
CREATE TRIGGER contact_version AFTER UPDATE ON contact WHEN new.version <= old.version BEGIN UPDATE contact SET version = old.version + 1 WHERE id = new.id; END;
CREATE TRIGGER opportunity_version AFTER UPDATE ON opportunity WHEN new.version <= old.version BEGIN UPDATE opportunity SET version = old.version + 1 WHERE id = new.id; END;
CREATE TRIGGER followup_version AFTER UPDATE ON followup WHEN new.version <= old.version BEGIN UPDATE followup SET version = old.version + 1 WHERE id = new.id; END;
CREATE TRIGGER tierassessment_version AFTER UPDATE ON tierassessment WHEN new.version <= old.version BEGIN UPDATE tierassessment SET version = old.version + 1 WHERE id = new.id; END;
CREATE TRIGGER stagechange_version AFTER UPDATE ON stagechange WHEN new.version <= old.version BEGIN UPDATE stagechange SET version = old.version + 1 WHERE id = new.id; END;
CREATE TRIGGER snooze_version AFTER UPDATE ON snooze WHEN new.version <= old.version BEGIN UPDATE snooze SET version = old.version + 1 WHERE id = new.id; END;
CREATE TRIGGER statuschange_version AFTER UPDATE ON statuschange WHEN new.version <= old.version BEGIN UPDATE statuschange SET version = old.version + 1 WHERE id = new.id; END;
CREATE TRIGGER customer_status_history AFTER UPDATE OF status ON customer WHEN new.status IS NOT old.status BEGIN INSERT INTO statuschange (version, customer_id, from_status, to_status, at, created_at, updated_at) VALUES (1, new.id, old.status, new.status, strftime('%Y-%m-%d %H:%M:%S.', 'now') || substr(strftime('%f', 'now'), 4) || '000', strftime('%Y-%m-%d %H:%M:%S.', 'now') || substr(strftime('%f', 'now'), 4) || '000', strftime('%Y-%m-%d %H:%M:%S.', 'now') || substr(strftime('%f', 'now'), 4) || '000'); END;
CREATE TABLE lead (
	id INTEGER NOT NULL, 
	version INTEGER DEFAULT '1' NOT NULL, 
	code VARCHAR(16) NOT NULL, 
	source VARCHAR, 
	source_detail VARCHAR, 
	company VARCHAR NOT NULL, 
	industry VARCHAR, 
	contact_name VARCHAR, 
	contact_title VARCHAR, 
	phone VARCHAR, 
	email VARCHAR, 
	budget_text VARCHAR, 
	budget_min BIGINT, 
	needs VARCHAR, 
	purchase_by DATE, 
	is_decision_maker BOOLEAN, 
	need_clear BOOLEAN, 
	purchase_soon BOOLEAN, 
	score INTEGER NOT NULL, 
	score_class VARCHAR NOT NULL, 
	respond_by DATETIME, 
	contacted_at DATETIME, 
	rescore_on DATE, 
	status VARCHAR NOT NULL, 
	drop_reason VARCHAR, 
	owner VARCHAR, 
	notes VARCHAR, 
	customer_id INTEGER, 
	contact_id INTEGER, 
	opportunity_id INTEGER, 
	converted_at DATETIME, 
	archived_at DATETIME, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id), 
	FOREIGN KEY(opportunity_id) REFERENCES opportunity (id), 
	UNIQUE (code)
);
CREATE INDEX ix_lead_status_respond ON lead (status, respond_by);
CREATE INDEX ix_lead_customer ON lead (customer_id);
CREATE TABLE activity (
	id INTEGER NOT NULL, 
	version INTEGER DEFAULT '1' NOT NULL, 
	code VARCHAR(16) NOT NULL, 
	name VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	customer_id INTEGER NOT NULL, 
	contact_id INTEGER, 
	opportunity_id INTEGER, 
	goal VARCHAR, 
	content VARCHAR, 
	planned_start DATETIME NOT NULL, 
	planned_end DATETIME, 
	actual_start DATETIME, 
	actual_end DATETIME, 
	place VARCHAR, 
	attendees VARCHAR, 
	resources VARCHAR, 
	budget BIGINT, 
	status VARCHAR NOT NULL, 
	result VARCHAR, 
	next_action VARCHAR, 
	owner VARCHAR, 
	creator VARCHAR, 
	follow_up_id INTEGER, 
	archived_at DATETIME, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id), 
	FOREIGN KEY(follow_up_id) REFERENCES followup (id), 
	FOREIGN KEY(opportunity_id) REFERENCES opportunity (id), 
	UNIQUE (code)
);
CREATE INDEX ix_activity_status_start ON activity (status, planned_start);
CREATE INDEX ix_activity_customer ON activity (customer_id, planned_start);
CREATE TRIGGER lead_version AFTER UPDATE ON lead WHEN new.version <= old.version BEGIN UPDATE lead SET version = old.version + 1 WHERE id = new.id; END;
CREATE TRIGGER activity_version AFTER UPDATE ON activity WHEN new.version <= old.version BEGIN UPDATE activity SET version = old.version + 1 WHERE id = new.id; END;
CREATE TABLE receivable (
	id INTEGER NOT NULL, 
	version INTEGER DEFAULT '1' NOT NULL, 
	code VARCHAR(16) NOT NULL, 
	customer_id INTEGER NOT NULL, 
	opportunity_id INTEGER, 
	amount BIGINT NOT NULL, 
	currency VARCHAR, 
	received BIGINT DEFAULT '0' NOT NULL, 
	settled_on DATE, 
	due_on DATE, 
	paid_off_on DATE, 
	invoice_no VARCHAR, 
	settled_by VARCHAR, 
	notes VARCHAR, 
	archived_at DATETIME, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id), 
	FOREIGN KEY(opportunity_id) REFERENCES opportunity (id), 
	UNIQUE (code)
);
CREATE INDEX ix_receivable_customer ON receivable (customer_id, due_on);
CREATE INDEX ix_receivable_open ON receivable (archived_at, paid_off_on, due_on);
CREATE INDEX ix_receivable_opportunity_id ON receivable (opportunity_id);
CREATE TABLE payment (
	id INTEGER NOT NULL, 
	version INTEGER DEFAULT '1' NOT NULL, 
	code VARCHAR(16) NOT NULL, 
	customer_id INTEGER NOT NULL, 
	receivable_id INTEGER, 
	amount BIGINT NOT NULL, 
	currency VARCHAR, 
	paid_on DATE NOT NULL, 
	method VARCHAR, 
	settled_by VARCHAR, 
	reference VARCHAR, 
	notes VARCHAR, 
	archived_at DATETIME, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id), 
	FOREIGN KEY(receivable_id) REFERENCES receivable (id), 
	UNIQUE (code)
);
CREATE INDEX ix_payment_customer ON payment (customer_id, paid_on);
CREATE INDEX ix_payment_receivable ON payment (receivable_id);
CREATE INDEX ix_payment_paid_on ON payment (paid_on);
CREATE TABLE complaint (
	id INTEGER NOT NULL, 
	version INTEGER DEFAULT '1' NOT NULL, 
	code VARCHAR(16) NOT NULL, 
	customer_id INTEGER NOT NULL, 
	contact_id INTEGER, 
	opportunity_id INTEGER, 
	opened_at DATETIME NOT NULL, 
	channel VARCHAR, 
	content VARCHAR NOT NULL, 
	cause VARCHAR, 
	severity VARCHAR NOT NULL, 
	deadline_at DATETIME, 
	status VARCHAR NOT NULL, 
	result VARCHAR, 
	resolved_at DATETIME, 
	satisfaction INTEGER, 
	owner VARCHAR, 
	notes VARCHAR, 
	archived_at DATETIME, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id), 
	FOREIGN KEY(opportunity_id) REFERENCES opportunity (id), 
	UNIQUE (code)
);
CREATE INDEX ix_complaint_status_deadline ON complaint (status, deadline_at);
CREATE INDEX ix_complaint_customer ON complaint (customer_id, opened_at);
CREATE TABLE complaintstep (
	id INTEGER NOT NULL, 
	complaint_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	text VARCHAR NOT NULL, 
	by_user VARCHAR, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(complaint_id) REFERENCES complaint (id)
);
CREATE INDEX ix_complaintstep_complaint_id ON complaintstep (complaint_id);
CREATE TRIGGER receivable_version AFTER UPDATE ON receivable WHEN new.version <= old.version BEGIN UPDATE receivable SET version = old.version + 1 WHERE id = new.id; END;
CREATE TRIGGER payment_version AFTER UPDATE ON payment WHEN new.version <= old.version BEGIN UPDATE payment SET version = old.version + 1 WHERE id = new.id; END;
CREATE TRIGGER complaint_version AFTER UPDATE ON complaint WHEN new.version <= old.version BEGIN UPDATE complaint SET version = old.version + 1 WHERE id = new.id; END;
CREATE TRIGGER customer_fts_au AFTER UPDATE OF id, search_text, archived_at ON customer BEGIN
         DELETE FROM customer_fts WHERE rowid = old.id;
         INSERT INTO customer_fts(rowid, search_text) SELECT new.id, new.search_text WHERE new.archived_at IS NULL;
       END;
CREATE TRIGGER customer_version AFTER UPDATE ON customer WHEN new.version <= old.version BEGIN UPDATE customer SET version = old.version + 1 WHERE id = new.id; END;
CREATE INDEX ix_contact_birthday_md ON contact (strftime('%m-%d', birthday)) WHERE birthday IS NOT NULL;
CREATE INDEX ix_contact_anniversary_md ON contact (strftime('%m-%d', anniversary)) WHERE anniversary IS NOT NULL;
CREATE INDEX ix_customer_renewal ON customer (renewal_on) WHERE renewal_on IS NOT NULL;
CREATE INDEX ix_opportunity_renewal ON opportunity (renewal_on) WHERE renewal_on IS NOT NULL;
CREATE INDEX ix_activity_queue ON activity (planned_start, customer_id) WHERE archived_at IS NULL AND status IN ('planned', 'in-progress');
CREATE INDEX ix_lead_response ON lead (respond_by) WHERE status = 'new' AND respond_by IS NOT NULL AND contacted_at IS NULL AND archived_at IS NULL;
CREATE INDEX ix_lead_rescore ON lead (rescore_on) WHERE status = 'nurturing' AND rescore_on IS NOT NULL AND archived_at IS NULL;
CREATE INDEX ix_receivable_queue ON receivable (due_on, customer_id) WHERE archived_at IS NULL AND received < amount AND due_on IS NOT NULL;
CREATE INDEX ix_complaint_queue ON complaint (deadline_at, customer_id) WHERE status IN ('open', 'in-progress') AND archived_at IS NULL AND deadline_at IS NOT NULL;
CREATE INDEX ix_opportunity_won_md ON opportunity (strftime('%m-%d', closed_on)) WHERE stage = 'won' AND closed_on IS NOT NULL;
CREATE INDEX ix_customer_first_contact ON customer (first_contact_on, created_at, tier, archived_at);
CREATE TABLE savedfilter (
	id INTEGER NOT NULL, 
	version INTEGER DEFAULT '1' NOT NULL, 
	name VARCHAR NOT NULL, 
	scope VARCHAR NOT NULL, 
	spec VARCHAR NOT NULL, 
	slot INTEGER, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
CREATE TRIGGER savedfilter_version AFTER UPDATE ON savedfilter WHEN new.version <= old.version BEGIN UPDATE savedfilter SET version = old.version + 1 WHERE id = new.id; END;
CREATE INDEX ix_customer_live_board ON customer (tier, next_follow_up_on IS NULL, next_follow_up_on, name) WHERE archived_at IS NULL;
CREATE INDEX ix_stagechange_moves ON stagechange (opportunity_id, at, id, to_stage);
CREATE INDEX ix_payment_revenue ON payment (customer_id, currency, amount) WHERE archived_at IS NULL;
INSERT INTO alembic_version (version_num) VALUES ('0013');
