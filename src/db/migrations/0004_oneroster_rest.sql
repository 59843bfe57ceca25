-- 0004 OneRoster REST read paths: expression indexes on roster_records for the nested routes, the
-- related data of a page (roles, profiles, children, resources) and the constraints of
-- standards/oneroster/rest-endpoints.json. Partial per file, so each index holds only its file's rows.
CREATE INDEX roster_enrollments_class_idx ON roster_records (tenant_id, (fields->>'classSourcedId')) WHERE file = 'enrollments';
CREATE INDEX roster_enrollments_user_idx ON roster_records (tenant_id, (fields->>'userSourcedId')) WHERE file = 'enrollments';
CREATE INDEX roster_enrollments_school_idx ON roster_records (tenant_id, (fields->>'schoolSourcedId')) WHERE file = 'enrollments';
CREATE INDEX roster_classes_school_idx ON roster_records (tenant_id, (fields->>'schoolSourcedId')) WHERE file = 'classes';
CREATE INDEX roster_classes_course_idx ON roster_records (tenant_id, (fields->>'courseSourcedId')) WHERE file = 'classes';
CREATE INDEX roster_classes_terms_idx ON roster_records USING gin (string_to_array(fields->>'termSourcedIds', ',')) WHERE file = 'classes';
CREATE INDEX roster_courses_org_idx ON roster_records (tenant_id, (fields->>'orgSourcedId')) WHERE file = 'courses';
CREATE INDEX roster_parent_idx ON roster_records (tenant_id, file, (fields->>'parentSourcedId')) WHERE file IN ('orgs', 'academicSessions');
CREATE INDEX roster_roles_org_idx ON roster_records (tenant_id, (fields->>'orgSourcedId'), (fields->>'role')) WHERE file = 'roles';
CREATE INDEX roster_profiles_user_idx ON roster_records (tenant_id, (fields->>'userSourcedId')) WHERE file = 'userProfiles';
CREATE INDEX roster_line_items_class_idx ON roster_records (tenant_id, (fields->>'classSourcedId')) WHERE file = 'lineItems';
CREATE INDEX roster_results_line_item_idx ON roster_records (tenant_id, (fields->>'lineItemSourcedId')) WHERE file = 'results';
CREATE INDEX roster_results_student_idx ON roster_records (tenant_id, (fields->>'studentSourcedId')) WHERE file = 'results';
