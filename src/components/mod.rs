pub mod calendar_picker;
pub mod error_notice;
pub mod field;
pub mod header;
pub mod lang_switch;
pub mod live;
pub mod resource_groups;
pub mod styles;
