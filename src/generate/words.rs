//! The texts the generator picks from: names, addresses, vehicles, items, key points,
//! complaints and their solutions (Simplified Chinese, as a shop would type them).

use crate::domain::call::ItemKind;

pub(super) const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
];
pub(super) const GIVEN: [&str; 30] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "建华", "俊杰", "晓东", "海燕", "志强", "文", "欣",
    "婷",
];
pub(super) const DISTRICTS: [&str; 8] = [
    "闵行区",
    "长宁区",
    "嘉定区",
    "浦东新区",
    "徐汇区",
    "普陀区",
    "宝山区",
    "松江区",
];
pub(super) const ROADS: [&str; 10] = [
    "七莘路",
    "遵义路",
    "清河路",
    "哈密路",
    "张杨路",
    "漕溪北路",
    "真北路",
    "共和新路",
    "人民北路",
    "沪太路",
];
pub(super) const VEHICLES: [(&str, &str); 10] = [
    ("丰田卡罗拉", "轿车"),
    ("日产轩逸", "轿车"),
    ("大众朗逸", "轿车"),
    ("本田CR-V", "SUV"),
    ("大众途观", "SUV"),
    ("别克GL8", "MPV"),
    ("比亚迪秦", "轿车"),
    ("哈弗H6", "SUV"),
    ("五菱宏光", "面包车"),
    ("江铃全顺", "货车"),
];
pub(super) const MAINTENANCE_ITEMS: [&str; 6] = [
    "更换机油机滤",
    "轮胎换位",
    "更换空气滤芯",
    "变速箱油更换",
    "刹车油更换",
    "空调滤芯更换",
];
pub(super) const REPAIR_ITEMS: [&str; 6] = [
    "发动机故障检修",
    "更换轮胎",
    "更换刹车片",
    "钣金喷漆",
    "更换蓄电池",
    "空调系统维修",
];
pub(super) const DESIRED: [&str; 4] = [
    "希望保养前短信提醒",
    "希望提供代步车",
    "希望周末可以预约",
    "希望上门取送车",
];
pub(super) const KEY_POINTS: [&str; 6] = [
    "客户反映车辆使用正常，对维修质量满意",
    "客户表示保养后油耗有所下降，服务态度好",
    "客户询问下次保养时间，已告知",
    "客户对等候时间较长有意见，已致歉并记录",
    "介绍了本月空调清洗优惠，客户有兴趣",
    "提醒客户冬季注意胎压与防冻液",
];
pub(super) const SECOND_KEY_POINTS: [&str; 4] = [
    "第二次回访：车辆一切正常，客户无新的需求",
    "第二次回访：客户询问轮胎保养，已提供建议",
    "第二次回访：介绍了会员积分与免费检测",
    "第二次回访：客户满意，推荐了朋友来店",
];
pub(super) const REMINDER_KEY_POINTS: [&str; 3] = [
    "提醒客户按期保养，客户同意预约进厂",
    "提醒客户保养到期，客户表示下周来店",
    "提醒客户保养到期，客户近期出差，稍后再约",
];
pub(super) const INQUIRIES: [&str; 4] = [
    "客户来电咨询保养价格",
    "客户来电询问营业时间与预约方式",
    "客户来电咨询保险理赔流程",
    "客户来电询问配件是否有货",
];
pub(super) const COMPLAINTS: [&str; 4] = [
    "上次保养后发动机有异响",
    "维修后空调仍不制冷",
    "等候时间过长，前台态度冷淡",
    "结算金额与报价不符",
];
pub(super) const WISHES: [(ItemKind, &str, &str); 4] = [
    (
        ItemKind::Wish,
        "希望保养前短信提醒",
        "已登记，保养前三天短信提醒",
    ),
    (
        ItemKind::Request,
        "希望下次保养安排周六上午",
        "已预约周六上午九点",
    ),
    (
        ItemKind::Wish,
        "希望增加儿童安全座椅检查",
        "已记录，下次保养一并检查",
    ),
    (
        ItemKind::Request,
        "询问能否开具电子发票",
        "可以，已告知开票方式",
    ),
];
pub(super) const SOLUTIONS: [&str; 3] = [
    "安排免费复查，更换发动机支架",
    "免费检修空调系统并补充冷媒",
    "退还差价并致歉，赠送一次免费洗车",
];
