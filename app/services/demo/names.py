"""Name parts for demo market entities and people in 聊城市 (pure data).

Only the demo generator reads this. The towns and streets are real 聊城
places so the demo registry looks right to someone from there; the firms and
people built from them are invented.
"""

from __future__ import annotations

from typing import NamedTuple


def _split(text: str) -> tuple[str, ...]:
    """A whitespace-separated word list (keeps long Chinese lists compact)."""
    return tuple(text.split())


def _chars(text: str) -> tuple[str, ...]:
    """Distinct characters in order."""
    return tuple(dict.fromkeys(text))


# Surnames with rough weights for western Shandong (王/张/李/刘 dominate).
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 10), ("张", 9), ("李", 9), ("刘", 8), ("杨", 3), ("赵", 3), ("孙", 3),
    ("陈", 2.5), ("徐", 2), ("马", 2), ("高", 2), ("朱", 1.5), ("郭", 1.5), ("于", 1.5),
    ("宋", 1.5), ("韩", 1.2), ("董", 1.2), ("田", 1), ("郑", 1), ("吴", 1), ("魏", 1),
    ("崔", 1), ("付", 1), ("周", 1), ("曹", 1), ("许", 1), ("冯", 0.8), ("孟", 0.8),
    ("姜", 0.8), ("袁", 0.7), ("杜", 0.7), ("黄", 0.7), ("邢", 0.6), ("薛", 0.6), ("范", 0.6),
    ("胡", 0.6), ("梁", 0.6), ("侯", 0.6), ("贾", 0.6), ("丁", 0.6), ("吕", 0.6), ("任", 0.6),
    ("谢", 0.5), ("程", 0.5), ("石", 0.5), ("闫", 0.5), ("卢", 0.4), ("尹", 0.4), ("姚", 0.4),
    ("苏", 0.4), ("武", 0.4), ("郝", 0.4), ("庞", 0.3), ("耿", 0.3), ("岳", 0.3), ("秦", 0.3),
    ("邵", 0.3), ("路", 0.3), ("房", 0.3), ("申", 0.3), ("常", 0.3), ("焦", 0.3), ("段", 0.3),
    ("葛", 0.3), ("牛", 0.3), ("孔", 0.3), ("聂", 0.2), ("商", 0.2), ("鲁", 0.2), ("颜", 0.2),
)  # fmt: skip

GIVEN_1 = _chars("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚辉鹏华飞红玲斌峰波健俊凯浩宇鑫婷燕萍")
GIVEN_2 = _split(
    "建国 建华 建军 建平 志强 志刚 志勇 海涛 海燕 晓东 晓明 晓丽 晓燕 秀英 秀兰 秀云 秀珍 "
    "桂英 桂兰 桂芝 玉兰 玉梅 玉华 红霞 红梅 春华 春梅 春生 文静 文杰 文博 子涵 子轩 子豪 "
    "雨桐 雨欣 欣怡 浩然 宇航 佳琪 佳怡 梓涵 梓萱 立新 立强 国庆 国栋 庆华 庆伟 德明 德胜 "
    "长江 长青 振华 振宇 永刚 永红 永生 学军 学文 凤英 凤兰 金凤 金华 爱国 爱华 丽娟 丽萍 "
    "丽华 淑珍 淑英 淑华 洪涛 洪波 新民 新华 卫东 卫国 向东 向阳 小龙 小红 小军 明辉 明亮 "
    "俊杰 俊峰 家豪 嘉怡 思远 思雨 梦琪 一鸣 天宇 泽宇 博文 瑞霖 景行 美玲 晨曦 诗涵 静怡 "
    "可欣 昊天 广民 广田 传海 传磊 兆丰 继红"
)

# Characters for 字号 (trade names); two or three are drawn per firm.
TRADE_CHARS = _chars(
    "鑫源恒泰华盛宏达丰瑞祥兴隆昌润德信诚安康金鼎福万嘉汇通顺凯博远航东方正和美佳天龙"
    "鹏腾宇辉光明新立中联海峰林森晟昊旭晨阳春盈利豪奥力聚合众邦科创亿弘广永久富强大成"
    "世纪益友迪尚品优环宝银玉星云锦蓝绿青舜禹齐鲁运河水城凤凰江北圣驰骏君毅泓澜沃晶岳程威"
)

# Forms of organisation with weights; 有限公司 is by far the most common.
COMPANY_FORMS: tuple[tuple[str, float], ...] = (
    ("有限公司", 86), ("有限责任公司", 9), ("股份有限公司", 3), ("集团有限公司", 2),
)  # fmt: skip

SHOP_STYLES = ("记", "家", "姐", "哥")
VILLAGE_SUFFIXES = ("庄村", "屯村", "集村", "楼村", "寨村", "营村", "家村", "庄")
VILLAGE_PREFIXES = ("前", "后", "东", "西", "南", "北", "大", "小")

# Towns and streets (镇/街道/乡) per division, and the zones the city registers.
TOWNS: dict[str, tuple[str, ...]] = {
    code: _split(text)
    for code, text in {
        "371500": "聊城经济技术开发区蒋官屯街道 聊城经济技术开发区广平乡 "
        "聊城高新技术产业开发区顾官屯镇 聊城高新技术产业开发区韩集乡 "
        "江北水城旅游度假区李海务街道 江北水城旅游度假区朱老庄镇",
        "371502": "古楼街道 柳园街道 新区街道 湖西街道 道口铺街道 阎寺街道 凤凰街道 北城街道 "
        "侯营镇 沙镇镇 堂邑镇 梁水镇镇 斗虎屯镇 郑家镇 张炉集镇 于集镇 许营镇",
        "371503": "振兴街道 信发街道 温陈街道 乐平铺镇 冯官屯镇 菜屯镇 博平镇 杜郎口镇 "
        "韩屯镇 胡屯镇 肖家庄镇",
        "371521": "博济桥街道 侨润街道 狮子楼街道 阎楼镇 阿城镇 七级镇 安乐镇 定水镇 石佛镇 "
        "李台镇 寿张镇 十五里园镇 张秋镇 郭屯镇 西湖镇 高庙王镇 金斗营镇",
        "371522": "燕塔街道 莘亭街道 东鲁街道 张鲁回族镇 朝城镇 观城镇 古城镇 大张家镇 "
        "古云镇 十八里铺镇 燕店镇 董杜庄镇 王奉镇 樱桃园镇 河店镇 妹冢镇 魏庄镇 张寨镇 "
        "大王寨镇 徐庄镇 王庄集镇 柿子园镇 俎店镇",
        "371524": "铜城街道 新城街道 刘集镇 牛角店镇 大桥镇 高集镇 姜楼镇 姚寨镇 鱼山镇 陈集镇",
        "371525": "清泉街道 崇文街道 烟庄街道 贾镇 桑阿镇 柳林镇 清水镇 东古城镇 北馆陶镇 "
        "店子镇 定远寨镇 辛集镇 梁堂镇 范寨镇 甘官屯镇 兰沃乡 斜店乡",
        "371526": "鱼邱湖街道 汇鑫街道 人和街道 梁村镇 尹集镇 清平镇 固河镇 三十里铺镇 "
        "琉璃寺镇 赵寨子镇 姜店镇 杨屯镇",
        "371581": "青年路街道 新华路街道 先锋路街道 大辛庄街道 松林镇 老赵庄镇 康庄镇 魏湾镇 "
        "刘垓子镇 八岔路镇 潘庄镇 烟店镇 唐园镇 金郝庄镇 戴湾镇 尚店镇",
    }.items()
}

ROADS = _split(
    "东昌路 柳园路 建设路 花园路 振兴路 兴华路 光岳路 湖南路 向阳路 新华路 人民路 文化路 "
    "育新街 站前街 工业路 南环路 北环路 长江路 黄河路 华山路 中华路 庐山路 利民路 昌润路 "
    "卫育路 开发路 富民路 团结路 健康街 府前街"
)

# Shares of the registry by division (东昌府区 is the urban core).
DIVISION_WEIGHTS: dict[str, float] = {
    "371500": 4, "371502": 24, "371503": 10, "371521": 11, "371522": 12, "371524": 7,
    "371525": 10, "371526": 9, "371581": 13,
}  # fmt: skip


class Industry(NamedTuple):
    """A GB/T 4754-2017 class with the words firms in it use in their names."""

    code: str
    name: str
    # Relative weight among enterprises, sole traders and cooperatives.
    enterprise: float
    sole: float
    coop: float
    company_words: tuple[str, ...]
    shop_words: tuple[str, ...]
    coop_words: tuple[str, ...]
    # Special supervision lists with the chance that an entity is on them.
    tags: tuple[tuple[str, float], ...]


# One class a line: code name | weights 企业 个体 合作社 | words in firm names |
# shop words (个体) | cooperative words | tag:chance … ("-" = none).
_INDUSTRY_TABLE = """
0112 小麦种植 | 0.5 0 30 | 农业发展 种业 | - | 粮食种植 小麦种植 | -
0141 蔬菜种植 | 1 0 40 | 农业科技 蔬菜 | - | 蔬菜种植 果蔬种植 食用菌种植 | -
0313 猪的饲养 | 1 0 15 | 牧业 畜牧 | - | 生猪养殖 | 重点排污单位:0.05
0321 鸡的饲养 | 1 0 15 | 禽业 养殖 | - | 肉鸡养殖 蛋鸡养殖 | -
1331 食用植物油加工 | 1.5 0 0 | 油脂 粮油 | - | - | 食品生产:1
1351 牲畜屠宰 | 1 0 0 | 肉类食品 食品 | - | - | 食品生产:1 重点排污单位:0.2
1431 米、面制品制造 | 2 0 0 | 食品 面业 | - | - | 食品生产:1
1711 棉纺纱加工 | 3 0 0 | 纺织 棉业 | - | - | 特种设备使用:0.3 进出口:0.2
2110 木质家具制造 | 2 0 0 | 家具 木业 | - | - | 特种设备使用:0.2
2614 有机化学原料制造 | 2 0 0 | 化工 新材料 | - | - | 危险化学品:0.6 重点排污单位:0.4
2927 日用塑料制品制造 | 2 0 0 | 塑业 塑料制品 | - | - | -
3021 水泥制品制造 | 1.5 0 0 | 建材 水泥制品 | - | - | 重点排污单位:0.1
3130 钢压延加工 | 5 0 0 | 钢管 管业 金属制品 | - | - | 特种设备使用:0.5 进出口:0.15
3216 铝冶炼 | 1 0 0 | 铝业 有色金属 | - | - | 重点排污单位:0.5 特种设备使用:0.6
3451 滚动轴承制造 | 5 0 0 | 轴承 精密轴承 | - | - | 特种设备使用:0.2 进出口:0.25
3670 汽车零部件及配件制造 | 3 0 0 | 汽车配件 机械 | - | - | 特种设备使用:0.3
4710 住宅房屋建筑 | 6 0 0 | 建筑工程 建设 | - | - | -
5123 果品、蔬菜批发 | 3 3 0 | 农产品 果蔬 | 果蔬批发部 蔬菜批发部 | - | 食品经营:1
5212 超级市场零售 | 3 6 0 | 商贸 超市 | 超市 生活超市 | - | 食品经营:1
5213 便利店零售 | 1 12 0 | 便利店 商贸 | 便利店 便民店 小卖部 | - | 食品经营:1
5223 果品、蔬菜零售 | 0 6 0 | - | 水果店 果蔬店 蔬菜店 | - | 食品经营:1
5251 西药零售 | 2 1.5 0 | 医药 大药房 | 药店 大药房 | - | 药品经营:1
5265 机动车燃油零售 | 1 0 0 | 石油 能源 | - | - | 危险化学品:1 特种设备使用:0.5
5431 普通货物道路运输 | 4 5 0 | 物流 运输 | 货运部 物流部 | - | -
6110 旅游饭店 | 1.5 0 0 | 酒店管理 大酒店 | - | - | 公共场所:1 特种设备使用:0.5
6129 其他一般旅馆 | 0.5 2 0 | 宾馆 | 宾馆 旅馆 快捷宾馆 | - | 公共场所:1
6210 正餐服务 | 3 10 0 | 餐饮管理 餐饮服务 | 饭店 餐馆 菜馆 酒楼 | - | 食品经营:1
6220 快餐服务 | 1 8 0 | 餐饮管理 | 快餐店 面馆 饺子馆 包子铺 | - | 食品经营:1
6513 应用软件开发 | 2 0 0 | 信息科技 网络科技 | - | - | -
7010 房地产开发经营 | 3 0 0 | 房地产开发 置业 | - | - | -
8040 理发及美容服务 | 1 6 0 | 美容美发 | 美发店 理发店 美容院 美甲店 | - | 公共场所:1
8111 汽车修理与维护 | 1 4 0 | 汽车服务 | 汽车修理厂 汽修店 汽车美容店 | - | -
9013 网吧活动 | 0.5 1.5 0 | 网络科技 | 网吧 网咖 | - | 公共场所:1
"""


def _words(cell: str) -> tuple[str, ...]:
    return () if cell.strip() == "-" else tuple(cell.split())


def _parse_industries(table: str) -> tuple[Industry, ...]:
    rows = []
    for line in table.strip().splitlines():
        head, weights, company, shop, coop, tags = line.split("|")
        code, name = head.split()
        ent, sole, co = (float(w) for w in weights.split())
        tag_pairs = tuple((t, float(p)) for t, p in (w.split(":") for w in _words(tags)))
        rows.append(
            Industry(
                code, name, ent, sole, co, _words(company), _words(shop), _words(coop), tag_pairs
            )
        )
    return tuple(rows)


INDUSTRIES: tuple[Industry, ...] = _parse_industries(_INDUSTRY_TABLE)

# 登记状态: active ones carry ~95 %; the rest show entities a draw must skip.
REG_STATUS_WEIGHTS: dict[str, tuple[tuple[str, float], ...]] = {
    "企业": (("存续", 88), ("在业", 7), ("吊销", 2), ("注销", 2), ("迁出", 0.6), ("停业", 0.4)),
    "个体工商户": (("开业", 60), ("在业", 35), ("吊销", 2), ("注销", 2.5), ("停业", 0.5)),
    "农民专业合作社": (("存续", 93), ("在业", 2), ("吊销", 2), ("注销", 3)),
}

# 信用风险分类 A–D as asked (≈ 50/35/10/5 %); a small rest is 未分类 (None).
RISK_WEIGHTS: tuple[tuple[str | None, float], ...] = (
    ("A", 49), ("B", 34), ("C", 10), ("D", 5), (None, 2),
)  # fmt: skip

ENTITY_TYPE_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("企业", 70), ("个体工商户", 27), ("农民专业合作社", 3),
)  # fmt: skip

MOBILE_PREFIXES = _split(
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 176 177 "
    "178 180 181 182 183 185 186 187 188 189 198 199"
)
# 聊城's area code; local numbers have seven digits.
AREA_CODE = "0635"
