-- A database as the first schema version (migration 0001) made it, with a little data.
-- Kept verbatim so later migrations are tested against a real v1 file.
BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO "alembic_version" VALUES('0001');
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
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id)
);
INSERT INTO "contact" VALUES(1,1,'王伟','采购经理',NULL,NULL,'13900001111',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,1,1,NULL,'2026-11-01 09:00:00.000000','2026-11-01 09:00:00.000000');
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
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (code)
);
INSERT INTO "customer" VALUES(1,'C000001','精密机械有限公司','精密','制造业',NULL,NULL,NULL,NULL,'intent','A',NULL,NULL,50000000,NULL,12345,NULL,NULL,'13812345678','a@b.cn',NULL,NULL,'rep','2026-11-25','发送报价单','精密机械有限公司',NULL,'2026-11-01 09:00:00.000000','2026-11-01 09:00:00.000000');
INSERT INTO "customer" VALUES(2,'C000002','Acme Robotics Ltd','Acme','Manufacturing',NULL,NULL,NULL,NULL,'potential','D',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'rep','2026-11-20',NULL,'acme robotics ltd',NULL,'2026-11-02 09:00:00.000000','2026-11-02 09:00:00.000000');
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
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(contact_id) REFERENCES contact (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id), 
	FOREIGN KEY(opportunity_id) REFERENCES opportunity (id)
);
INSERT INTO "followup" VALUES(1,1,NULL,NULL,'2026-11-22 01:00:00.000000','phone','介绍云服务器套餐升级方案',NULL,NULL,'发送报价单','2026-11-25',NULL,NULL,'2026-11-22 01:00:00.000000','2026-11-22 01:00:00.000000');
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
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id), 
	FOREIGN KEY(decision_maker_id) REFERENCES contact (id)
);
INSERT INTO "opportunity" VALUES(1,'云服务器升级',1,50000000,NULL,'proposal',50,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'2026-11-01 09:00:00.000000','2026-11-01 09:00:00.000000');
CREATE TABLE stagechange (
	id INTEGER NOT NULL, 
	opportunity_id INTEGER NOT NULL, 
	from_stage VARCHAR, 
	to_stage VARCHAR NOT NULL, 
	at DATETIME NOT NULL, 
	note VARCHAR, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(opportunity_id) REFERENCES opportunity (id)
);
INSERT INTO "stagechange" VALUES(1,1,NULL,'proposal','2026-11-01 09:00:00.000000',NULL,'2026-11-01 09:00:00.000000','2026-11-01 09:00:00.000000');
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
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customer (id)
);
INSERT INTO "tierassessment" VALUES(1,1,8,9,17,'A',NULL,NULL,'2026-11-22',NULL,'2026-11-22 01:00:00.000000','2026-11-22 01:00:00.000000');
CREATE INDEX ix_customer_due ON customer (archived_at, next_follow_up_on);
CREATE INDEX ix_customer_name ON customer (name);
CREATE INDEX ix_customer_status ON customer (status);
CREATE INDEX ix_customer_tier ON customer (tier);
CREATE INDEX ix_contact_customer_id ON contact (customer_id);
CREATE INDEX ix_tierassessment_customer ON tierassessment (customer_id, assessed_on);
CREATE INDEX ix_opportunity_customer_id ON opportunity (customer_id);
CREATE INDEX ix_opportunity_stage ON opportunity (stage, archived_at);
CREATE INDEX ix_followup_at ON followup (at);
CREATE INDEX ix_followup_customer_at ON followup (customer_id, at);
CREATE INDEX ix_followup_opportunity_id ON followup (opportunity_id);
CREATE INDEX ix_stagechange_opportunity_at ON stagechange (opportunity_id, at);
COMMIT;
