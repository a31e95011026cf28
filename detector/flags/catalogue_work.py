"""Flags about what the "work" is: paid fake tasks and pay out of line with the work.

Examples are hand-written for tests and demos (not data).
"""

from __future__ import annotations

from detector.flags.base import Examples, RedFlag, Rule, alt
from detector.flags.lexicon import NEG_ZH, NUM_ZH, POST_NEG_ZH, gap_zh, whole, words
from detector.flags.pay import CHECK_KEYWORDS, pay_claim, unrealistic_pay_check

#: Warnings about scams are not scams: 谨防刷单诈骗, "beware of task scams".
WARN_ZH = alt("谨防", "警惕", "防范", "小心", "当心", "拒绝", "不是", "不做", "不涉及", "不需要",
              "无需", "杜绝", "严禁", "禁止", "举报", "反诈", "打击", "凡是", "非", "绝非", "别信",
              "不要")
#: "不是诈骗" after a match is the scam vouching for itself, not a warning.
WARN_POST_ZH = (r"(?!.{0,8}?(?:不是|非|并非|绝非|不存在|不涉及|没有)(?:诈骗|骗局|骗子|陷阱|违法))"
                r".{0,8}(?:诈骗|骗局|骗子|陷阱|违法|犯罪|都是假的)")
#: A warning word right before the match (谨防刷单, 不涉及任何刷单, 严禁员工刷单), with at most
#: a few characters between that are not about fees: "无需押金，兼职刷单" (the scam's own
#: reassurance, often without punctuation in SMS) must not cancel 刷单.
WARN_NEAR_ZH = WARN_ZH + r"(?:(?!押金|费|钱|经验|学历|门槛|投资|成本)[\u4e00-\u9fff]){0,4}\s?\Z"
#: The English counterpart: "not a task scam", "beware of ... tasks"; not "no deposit needed".
_WARN_NEAR_EN = (words("no", "not", "never", r"don'?t", r"won'?t", r"isn'?t", "beware", "avoid",
                       "cannot", "scams?", "fraud\\w*")
                 + r"(?: (?!deposit|fee|experience|skills?|payment|investment|charge)[\w'-]+){0,3}"
                   r"[ :,-]{0,3}\Z")
_REWARD_ZH = alt("佣金", "返利", "返现", "返佣", "赚", "挣",
                 f"(?:[一二两三四五六七八九十]+|{NUM_ZH})\\s?(?:元|块|毛)", "提现", "奖励", "报酬",
                 "收益",
                 "一单", "每单", "结算", "日结", "红包")
_REWARD_EN = words(r"earn\w*", "commissions?", "paid", "pay", "salary", "income", "rewards?",
                   r"[$£€₹]\s?\d", r"\d+\s?(?:rs|rupees?|pesos?|rm|usd|php|pkr)", "profit", "bonus",
                   "wages?")

#: The good-customer invitation: "your shopping record is good", "help our flagship store".
_RECORDS = ("购物记录", "消费记录", "网购记录", "购买记录", "下单记录", "信誉", "信用", "账号信誉",
            "淘宝账号", "账号等级", "购物信用")
_GOODS = ("良好", "优秀", "很好", "不错", "较好", "较高", "很高", "达标", "优质")
_RECORD_ZH = alt(*_RECORDS)
_GOOD_ZH = alt(*_GOODS)
_STORES = ("旗舰店", "店铺", "网店", "淘宝店", "天猫店", "京东店", "拼多多店", "商家")
_STORE_ZH = alt(*_STORES)

TASK_SCAM = RedFlag(
    id="task_scam",
    severity="high",
    title={"en": "Paid 'tasks': likes, ratings, order-brushing", "zh": "刷单、点赞、做任务返佣"},
    explanation={
        "en": "The job is to like videos, rate hotels or products, 'optimise' apps or complete "
        "orders for commission. These task scams pay small amounts first, then ask you to "
        "top up or prepay to unlock bigger tasks, and the money is never returned.",
        "zh": "所谓工作是刷单、点赞、关注、好评或在App里“做任务”拿佣金。"
        "骗子先返小额佣金取得信任，再要求充值、垫付“解锁任务”，最后卷款消失。",
    },
    advice={
        "en": "Never pay or top up to receive tasks or commission. Stop and report it.",
        "zh": "刷单就是诈骗：不要垫付、充值或下载对方指定的App，立即停止并报警（96110）。",
    },
    examples=Examples(
        match={
            "en": (
                "Part-time job: like YouTube videos and earn $5 per like.",
                "Rate hotels on our platform and receive commission for each review.",
                "Complete 40 app optimization tasks daily; recharge your account to unlock "
                "premium tasks.",
                "The first part-time task is a registration task, after it you receive a reward "
                "of 60 rs.",
                "Because of your good shopping record, we invite you to help our online store "
                "with orders, earn $50-200 per day.",
            ),
            "zh": (
                "招聘兼职刷单员，一单一结，佣金日结。", "抖音点赞关注，一个赞2元，做任务即可提现。",
                "先垫付货款做任务，完成后返还本金加佣金。",
                "在App里做任务，充值后解锁高佣金任务单。",
                # The masked, unpunctuated form of the Chinese SMS corpora (DIGIT for numbers).
                "招聘网络兼职在家手机操作每单可赚DIGIT元", "无需押金兼职刷单日结",
                "不收任何费用，兼职点赞员，一单一结。",
                "您好，因您的购物记录良好，我们旗舰店诚邀您帮忙做单，每单佣金10元，当天结算。",
                "恭喜您！您的淘宝账号信誉良好，邀请您成为我们店铺的兼职评价员，一单一结。",
            ),
        },
        no_match={
            "en": (
                "Social media manager: grow followers and engagement for our brand accounts.",
                "Beware of task scams that ask you to pay to unlock tasks.",
                "Hotel receptionist: check guests in and respond to online reviews.",
                "Office junior: perform simple tasks such as filing and scanning.",
                "Customer service rep: help our stores with orders and returns, $18/hour.",
                "Candidates must have a good credit history; salary $55,000.",
            ),
            "zh": (
                "谨防刷单诈骗，本公司不涉及任何刷单业务。",
                "新媒体运营：负责公众号内容，提升粉丝关注和点赞量。",
                "电商运营，负责店铺活动策划、商品上架和客服好评维护。",
                "外卖骑手，每单可赚6元，多劳多得。", "严禁员工参与刷单。",
                "本公司信誉良好，欢迎加盟。", "客服专员：负责店铺售后，处理顾客评价，月薪5000。",
                "五星级酒店前台，月薪5000元，包吃住。",
            ),
        },
    ),
    rules=(
        Rule(
            name="zh_brushing",
            patterns=(
                r"刷单|刷信誉|刷销量|刷好评|刷钻|刷粉|做单返|抢单返|联单|连单|卡单|点赞员|补单|刷回本|"
                r"垫付(?:本金|货款|资金|金额)?|预付(?:本金|货款)|充值返|返佣|佣金返现|拍单|代拍|"
                r"(?:本金|垫付).{0,6}(?:返还|返回|退还)",
            ),
            keywords=("刷单", "刷信誉", "刷销量", "刷好评", "刷钻", "刷粉", "做单返", "抢单返",
                      "联单", "补单", "刷回本", "连单", "卡单", "点赞员", "垫付", "预付", "充值返",
                      "返佣", "佣金返现", "拍单", "代拍", "本金"),
        ),
        Rule(
            name="zh_paid_per_order",
            # "每单可赚5元", "返利": brushing lures that never say 刷单. Only in a part-time,
            # at-home or shopping-app context (a courier's 每单提成 is vetoed below).
            patterns=(r"(?:每单|每笔|每个订单)(?:可|能|就|都|均|即可)?(?:赚|挣|得|返|拿|提成|"
                      r"佣金|奖励)",),
            keywords=("每单", "每笔", "每个订单"),
            context=(r"兼职|在家|手机|网络|网上|淘宝|京东|拼多多|抖音|快手|宝妈|学生|打字|网赚|任务|"
                     r"垫付|佣金|日结|qq|微信|下单|购物",),
            window=30,
        ),
        Rule(
            name="zh_rebate_part_time",
            patterns=(r"返利|返现",),
            keywords=("返利", "返现"),
            context=(r"兼职|刷|垫付|任务|在家|宝妈|学生|打字|网赚|手机(?:操作|赚|兼职)",),
            window=20,
        ),
        Rule(
            name="zh_engagement_for_pay",
            patterns=(r"点赞|关注|评论|好评|评分|打分|五星|收藏|加购|转发|看视频|看广告|投票|刷视频",),
            keywords=("点赞", "关注", "评论", "好评", "评分", "打分", "五星", "收藏", "加购",
                      "转发", "看视频", "看广告", "投票", "刷视频"),
            context=(_REWARD_ZH,),
            window=10,
        ),
        Rule(
            name="zh_tasks_for_pay",
            patterns=(r"做任务|接任务|领任务|任务单|任务(?:大厅|平台|佣金|返利)",
                      r"充值.{0,10}(?:任务|解锁|升级|提现|佣金|返)|(?:任务|解锁|提现).{0,10}充值"),
            keywords=("任务", "充值"),
            context=(r"app|软件|客服|充值|垫付|提现|佣金|返利|返现|兼职|日结|一单一结|每单|"
                     r"digit\s?(?:元|块)",),
            window=30,
        ),
        Rule(
            name="zh_good_customer_invite",
            # "因您的购物记录良好，邀请您为我们的旗舰店做单": the store "chose" a good customer
            # to place orders or write reviews for pay. No job posting addresses a shopper.
            patterns=(
                rf"(?:您|你)的?(?:在.{{1,8}}?的)?(?:淘宝|京东|天猫|拼多多|支付宝)?(?:账号|账户)?的?"
                rf"{_RECORD_ZH}(?:一直|非常|十分|比较|较为)?{_GOOD_ZH}",
                rf"(?:邀请|诚邀|特邀|邀)(?:您|你)(?:成为|加入|参与|为|帮|给|来)?.{{0,6}}?{_STORE_ZH}",
                rf"(?:帮|为|给|替)(?:我们|本|我)?的?{_STORE_ZH}.{{0,4}}(?:做单|下单|拍单|补单|刷|冲|"
                r"提升销量|提高销量|提升信誉|提高信誉|提升排名|写评价|做评价|好评|评价)",
            ),
            keywords=(*(f"{r}{g}" for r in _RECORDS for g in _GOODS),
                      *(f"{v}{y}" for v in ("邀请", "诚邀", "特邀") for y in ("您", "你")),
                      *_STORES),
            context=(r"店|商家|订单|做单|下单|拍单|好评|评价|信誉|销量|佣金|返|日结|兼职|报酬|"
                     r"(?:[0-9]+|digit)\s?(?:元|块)|客服|qq|任务",),
            window=60,
            reach=40,
        ),
        Rule(
            name="en_engagement_for_pay",
            patterns=(
                words(r"(?:like|follow|subscribe to|rate|review|comment on|watch|thumbs[- ]up)"
                      r" (?:\w+ ){0,3}(?:videos?|channels?|hotels?|restaurants?|movies?|bookings?|"
                      r"tiktoks?|reels?|youtube|products?|apps)"),
                words(r"(?:video|tiktok|youtube|facebook|instagram|hotel|product|app) "
                      r"(?:liker|like|rating|reviewer|optimi[sz]\w+|boost\w*)s?"),
            ),
            keywords=("video", "channel", "hotel", "restaurant", "movie", "tiktok", "reel",
                      "booking", "youtube", "liker", "like", "rating", "reviewer", "optimi",
                      "boost", "product", "apps"),
            context=(_REWARD_EN,),
            window=60,
        ),
        Rule(
            name="en_tasks_for_pay",
            patterns=(
                words(r"complete (?:\d+ |simple |daily |the |a set of |your )?(?:\w+ )?tasks? "
                      r"(?:to|and) (?:earn|receive|get|unlock|withdraw)",
                      # Only money words between "top up" and "to unlock": not "top up the
                      # parking meter before you start".
                      r"(?:recharge|top[- ]?up|topping up|prepay|pre-pay|deposit|reset)(?: "
                      r"(?:your|the|my|an?|with|in|into|some|more|\$?\d[\d,.]*|usdt|usd|crypto|"
                      r"bitcoin|btc|money|funds|balance|account|wallet|deposit|amount)){0,5} "
                      r"(?:to )?(?:unlock|start|continue|complete|receive|withdraw|upgrade)",
                      r"(?:combo|lucky|merged|negative) (?:order|task)s?",
                      r"(?:app|data|product|store|merchant|hotel) (?:optimi[sz]ation|boosting|"
                      r"rating|submission) (?:tasks?|jobs?|work|assistant|specialist)",
                      r"(?:orderers|order takers?) (?:in|on|for) (?:the )?online mall",
                      r"click and follow products", r"improve (?:their|the) rankings",

                      r"commission (?:for|on|per) (?:each|every) "
                      r"(?:task|order|like|review|rating)"),
            ),
            keywords=("tasks to", "task to", "tasks and", "task and", "recharge", "top up",
                      "top-up", "topup", "topping up", "prepay", "pre-pay", "deposit", "reset",
                      "combo", "lucky order", "lucky task", "merged order", "merged task",
                      "negative order", "negative task", "optimi", "boosting", "rating",
                      "submission", "online mall", "click and follow", "rankings", "commission for",
                      "commission on", "commission per"),
            reach=140,
        ),
        Rule(
            name="en_good_customer_invite",
            # "Because of your good shopping record we invite you to help our store with
            # orders", "help merchants boost their ratings": only with pay next to it.
            patterns=(
                words(r"(?:good|excellent|great|high|outstanding) (?:shopping|purchase|buying|"
                      r"order(?:ing)?) (?:records?|history|reputation)",
                      r"invite you to (?:help|assist|support|work with|join) (?:our |the |an? )?"
                      r"(?:\w+ ){0,2}(?:stores?|shops?|merchants?|sellers?)",
                      r"(?:help|assist|support) (?:our |the |an? )?(?:online |partner |flagship )?"
                      r"(?:stores?|shops?|merchants?|sellers?) (?:to )?(?:boost|increase|improve|"
                      r"raise|grow) (?:their |the |its )?(?:ratings|rankings|sales volume|traffic|"
                      r"reviews|exposure|reputation)"),
            ),
            keywords=("shopping record", "shopping history", "purchase record", "purchase history",
                      "buying record", "buying history", "order record", "order history",
                      "ordering record", "ordering history", "shopping reputation",
                      "store", "shop", "merchant", "seller"),
            context=(_REWARD_EN,),
            window=100,
            reach=120,
        ),
        Rule(
            name="en_paid_small_tasks",
            # "The first part-time task is a registration task ... reward of 60RS".
            patterns=(words(r"(?:part[- ]time|simple|daily|online|first|registration) tasks?"
                            r"[^!?\n]{0,200}? (?:rewards?|commissions?|rs\s?\d+|\d+\s?rs|"
                            r"recharge|top[- ]?up|withdraw\w*)"),),
            keywords=("part-time task", "part time task", "simple task", "daily task",
                      "online task", "first task", "registration task"),
            reach=240,
        ),
    ),
    negations=(WARN_NEAR_ZH, _WARN_NEAR_EN),
    post_negations=(WARN_POST_ZH, r".{0,30}(?<!not a )(?<!not )(?:scams?|fraud)"),
    exceptions=(
        r"(?:粉丝|用户|客户)(?:的)?关注|关注(?:客户|用户|行业|市场|细节|政策|动态|我们|公司)",
        r"(?:公众号|新媒体|社群|品牌)(?:运营)?.{0,6}(?:点赞|关注|评论)",
        r"好评(?:率|维护|管理|奖)|(?:客户|顾客|用户|业主)(?:的)?好评|评论区|评分(?:标准|体系|卡)",
        r"(?:公司|企业|单位|我们|厂[里方])[^。;!?\n]{0,6}垫付|垫付(?:能力|工资)",
        r"watch (?:our|this|my|the) ",
        r"(?:online|customer|guest) reviews?", r"rate (?:of|per|is|at)", r"好评\s?[+＋]",
        r"五星级|星级(?:酒店|宾馆|服务)",
    ),
    vetoes=(r"送餐|骑手|外卖|配送|快递员",),
)

_AMOUNT_HYPE_ZH = (r"(?:[0-9][0-9,.]*\s?[kw万千]?|digit\s?[kw万千]?|"
                   r"[一二两三四五六七八九十几数]{1,3}[百千万]|"
                   r"过万|上万|破万|几千|数千|好几千)")

#: "Per thousand characters", written out or masked (1000字, xxxx字).
_THOUSAND_CHARS = r"(?:千字|1000字|digit字|xxxx?字)"

UNREALISTIC_PAY = RedFlag(
    id="unrealistic_pay",
    severity="medium",
    title={"en": "Pay out of line with the work", "zh": "薪资与工作内容明显不符"},
    explanation={
        "en": "High or hyped pay for work that needs no skills or experience (piece rates sold "
        "as easy money, $40+/hour or $1,000+/week with 'no experience needed', daily-pay hype). "
        "Scams lure with money that real jobs of that kind do not pay.",
        "zh": "无需经验、学历的工作却许诺高薪，或用“一单一结”“一个框5毛月入七八千”"
        "“日赚几百”等计件、日结话术吸引人。同类正规工作给不了这样的收入。",
    },
    advice={
        "en": "Compare the pay with similar jobs. If it sounds too easy for the money, it is "
        "usually a scam.",
        "zh": "对比同类岗位的正常薪资；“轻松高薪”往往是诈骗或变相收费的诱饵。",
    },
    examples=Examples(
        match={
            "en": (
                "Data entry from home, no experience needed, earn $45 per hour.",
                "Easy money! Work 1-2 hours daily and earn $400 per day. No experience required.",
                "Mystery shopper: earn $300 per assignment, simple and fun.",
                "I am a project manager, we are hiring a team to work from home, daily salary "
                "3000-8000 pesos.",
                "Draw boxes on images from home: $0.05 per box, no degree needed, earn $4,000 a "
                "month easily.",
                "Simple data tagging, anyone can do it, earn $300 a day.",
                "Make 500 dollars daily from home! Click here http://job.example.top",
                "SMS sending job from home. Earn Rs.7000 per month, no target.",
                "You only need to spend an hour a day to get a steady income of 50-300 US dollars.",
                # Claims with words between their parts (issue 26).
                "Easy online job, earn up to $4,000 a month working from home easily.",
                "Earn $300 every single day from home, no experience needed.",
            ),
            "zh": (
                "画框标注，一个框5毛，月入七八千轻松，无需学历。",
                "手机打字员，零基础，月入2万，在家就能做。", "兼职录入，一单一结，日赚三百。",
                "招聘数据标注员，无需学历，小学生都能做，月入七八千轻轻松松。",
                "画框标注员，3000个框150元，在家就能做，无需学历。", "手机兼职日赚DIGIT元",
                "招聘网络打字员，千字10元，工资日结，在家用手机就能做。",
                "天天红包发不停，一日赚500元。",
                "兼职录入员，每1000字15元，当天结算，宝妈学生均可。",
                "手工活外发，串珠子，计件工资，多劳多得，在家就能做。",
                "兼职打字，日赚轻松300+，在家就能做。", "手机兼职，每天轻轻松松赚500元。",
            ),
        },
        no_match={
            "en": (
                "Expert AI trainer (PhD required): $120-180 per hour, domain expert in chemistry.",
                "Warehouse associate, no experience needed, $18 per hour.",
                "Senior software engineer, $150,000 per year plus equity.",
                "Part-time receptionist, only 2 hours a day, $15 per hour.",
                "Data entry clerk: accurate typing work, 40 wpm, salary $32,000.",
                # Real legit posting (NHS).
                "Making Every Day Better for patients, staff, service users and carers is the",
                "Image annotator (contract): $0.10 per image reviewed, degree in linguistics "
                "required, 20 hours a week.",
            ),
            "zh": (
                "销售代表，月薪8000-12000，经验不限。", "AI训练师，博士学历，领域专家，月薪20K。",
                "外卖骑手，每单6元，多劳多得，需有电动车。",
                "房产经纪人，月入过万不是梦，底薪4000加提成，要求本科学历。",
                "图片审核员，每张图0.1元，计件工资，需本科学历。",
                "翻译，英译中，千字120元，要求英语专业八级。",
                # Real legit postings (58.com): factory handwork on site, outsourced batches.
                "主要生产口红和护肤品，灌装部，包装，打包等简单的手工活，所以超级简单轻松，工作不累",
                "公司还有很多的外发的大货，经常性的需要出差，监督好外发厂的质量",
            ),
        },
    ),
    rules=(
        Rule(
            name="zh_pay_hype",
            patterns=(
                r"一单一结|一单一返|单单结|日进斗金|躺赚|躺着(?:也能)?赚",
                # The claim with words between its parts: 日赚轻松300+, 日赚可达500元.
                r"(?:日赚|日入|日收入|一天赚|每天赚|轻松日入|在家赚|轻松赚|一日赚|每日赚|日挣|一天挣|每天挣)"
                rf"{gap_zh(4)}\s?(?:[1-9][0-9]{{2,}}|digit|x{{3,}}|[几数]百|"
                r"[一二两三四五六七八九]百|[几数一二两三四五六七八九]千)",
                # 每天轻轻松松赚500元: the day, the ease, then the earning.
                r"(?:每天|一天|每日)(?:都|就|可以|能|可|也)?(?:轻轻松松|轻松|随便|动动手指|在家)(?:就|都|也)?"
                r"(?:能|可以|可)?(?:赚|挣)\s?(?:[1-9][0-9]{2,}|digit|x{3,}|[几数一二两三四五六七八九][百千])",
                # The hype is in the words standing together ("轻松实现月入过万" is a real
                # legit 58.com ad): no window between them.
                whole(r"(?:轻松|在家)(?:月入|月赚|赚)\s?(?:[1-9][0-9]{4,}|[0-9.]+\s?[万w]|[几数一二两三]万|"
                      r"过万|上万)"),
            ),
            keywords=("一单一结", "一单一返", "单单结", "日进斗金", "躺赚", "躺着", "日赚", "日入",
                      "日挣", "一天挣", "每天挣",
                      "日收入", "一天赚", "每天赚", "轻松赚", "轻松日入", "轻松月入", "在家赚",
                      "轻松", "随便", "动动手指"),
            reach=60,
        ),
        Rule(
            name="zh_effortless_income",
            # "月入七八千轻轻松松", "日赚DIGIT元不是梦", "小学生都能做": an income sold as
            # effortless, or work anyone at all can do, next to the money.
            patterns=(
                rf"(?:月入|月赚|月收入|收入|日入|日赚|一天|每天|每月|一个月)\s?{_AMOUNT_HYPE_ZH}\s?"
                r"(?:元|块)?(?:以上|左右|\+)?\s?(?:都是)?(?:轻轻松松|轻松|不是梦|很轻松|没问题|不成问题|"
                r"妥妥的?|很容易|很简单)",
                r"(?:(?:无需|不需要|不限|不看)(?:任何)?学历[,\s]?)?(?:小学生|初中生|中学生|宝妈|老人|老年人|"
                r"人人|谁|任何人|是个人)都(?:能|可以|会|能够)(?:做|干|胜任)",
            ),
            # Keyed on how the claim ends (轻松, 不是梦): rarer than 每天 or 收入.
            keywords=("轻轻松松", "很轻松", "没问题", "妥妥", "很容易", "很简单",
                      "不是梦", "都能做",
                      "都可以做", "都会做", "都能干", "都可以干", "都能够", "都能胜任",
                      "都可以胜任"),
            # Sales ads say "月入过万不是梦" too; the lure adds that nothing is needed.
            context=(r"无需(?:任何)?(?:学历|经验|基础)|不需要(?:学历|经验)|不限学历|不看学历|零基础|小学生|"
                     r"初中生|有手机就|会打字|识字就|宝妈|学生(?:党|都)|兼职|在家|手机(?:操作|就能|即可)|"
                     r"动动手指|都能做|都可以做",),
            window=60,
            reach=40,
        ),
        Rule(
            name="zh_online_part_time_pay",
            # 网络兼职打字员，在家手机操作，工资日结: the classic SMS lure (pay hype for
            # work that is never described).
            patterns=(r"(?:网络|网上|在家|手机|线上)(?:兼职|打字员?|录入员?|挂机)|网赚|打字(?:兼职|赚钱)|"
                      r"兼职打字|手工活外发|外发(?:手工|加工)|手工外发|串珠(?:手工|外发)",),
            keywords=("网络兼职", "网络打字", "网络录入", "网络挂机", "网上兼职", "网上打字",
                      "网上录入", "网上挂机", "在家兼职", "在家打字", "在家录入", "在家挂机",
                      "手机兼职", "手机打字", "手机录入", "手机挂机", "线上兼职", "线上打字",
                      "线上录入", "线上挂机", "网赚", "打字兼职", "打字赚钱", "兼职打字",
                      "手工活外发", "外发手工", "外发加工", "手工外发", "串珠手工", "串珠外发"),
            context=(r"日结|日赚|日入|当天结|当日结|一单一结|工资日结|月入|月赚|轻松赚|每天(?:可|能)?赚",),
            window=30,
            reach=40,
        ),
        Rule(
            name="zh_typing_per_thousand",
            # Typing or copying "paid per thousand characters" (千字10元), sold with daily pay,
            # at home or by phone: the typing-job lure, which ends in a deposit or a course.
            patterns=(
                rf"(?:打字|录入|抄写|手抄|誊写|复制粘贴|码字)[^。!?\n]{{0,20}}?(?:每|一)?{_THOUSAND_CHARS}"
                r"\s?(?:可得|可赚|就有|能赚|赚|得|给|收入)?\s?"
                rf"(?:{NUM_ZH}|[一二两三四五六七八九十几]+)\s?(?:元|块)",
                rf"(?:每|一)?{_THOUSAND_CHARS}\s?(?:{NUM_ZH}|[一二两三四五六七八九十几]+)\s?(?:元|块)"
                r"[^。!?\n]{0,20}?(?:打字|录入|抄写|手抄|誊写)",
            ),
            keywords=("千字", "000字", "digit字", "xxx字"),
            context=(r"日结|当天结|当日结|日赚|日入|在家|居家|手机|兼职|零基础|无需经验|轻松|宝妈|学生|"
                     r"时间自由|一单一结|多劳多得",),
            window=40,
            reach=50,
        ),
        Rule(
            name="zh_handicraft_at_home",
            # 手工活外发, "可带回家做", 串珠/装笔芯 in your spare time: at-home handwork that
            # ends in a materials deposit or a machine to buy.
            patterns=(
                r"(?:手工活?|串珠|穿珠|十字绣|绕线|贴钻|钉珠|装笔芯|圆珠笔|折纸|编织|手链|发夹|饰品)"
                r"(?:活|品|产品|加工)?.{0,6}?(?:外发|外放|带回家|拿回家|回家做|在家做|在家加工|居家做|"
                r"邮寄到家)",
                r"(?:可|能|可以)?(?:带|拿)回(?:家|宿舍|学校)(?:或(?:者)?.{1,4}?)?(?:做|加工|制作)",
            ),
            keywords=("外发", "外放", "带回", "拿回", "回家做", "在家做", "在家加工", "居家做",
                      "邮寄到家"),
            context=(r"手工|串珠|穿珠|十字绣|日结|计件|月入|日赚|押金|材料费|保证金|无需经验|宝妈|学生|"
                     r"多劳多得|零基础|时间自由|兼职",),
            window=60,
            reach=40,
        ),
        Rule(
            name="zh_piece_rate_lure",
            # "3000个框150元" sold as easy money with nothing required.
            patterns=(r"(?:[0-9一二两三四五六七八九十百千万]+|digit)\s?(?:个?框|个图|张图|篇)"
                      r"\s?(?:就?(?:能|可|可以)?(?:赚|挣|拿|得|给|有))?\s?"
                      r"(?:[0-9.一二两三四五六七八九十百千万]+|digit)\s?(?:元|块|毛)",),
            # Not 框 alone: 框架 is everywhere in IT postings.
            # Keyed on 框 and what follows it, not on the digits before it (digits are
            # everywhere: a keyword starting with one makes the scan stop at every digit).
            keywords=("个框", "个图", "张图", "篇",
                      *(f"框{c}" for c in "0123456789一二两三四五六七八九十 就能可赚挣拿得给有d")),
            context=(r"轻松|简单|无需(?:任何)?(?:学历|经验)|不需要(?:学历|经验)|零基础|小学生|有手机就|在家|"
                     r"动动手指|宝妈|学生|都能做|不限学历",),
            window=40,
            reach=30,
        ),
        Rule(
            name="en_effortless_income",
            # "Anyone can do it", "$0.05 per box, earn $4,000 a month easily": the English
            # form of the piece-rate and effortless-income lures.
            patterns=(
                words(r"(?:anyone|everyone|any(?:one|body) at all|even (?:a child|kids|a student|"
                      r"students|your grandma)) can do (?:it|this|the job|this job)",
                      r"(?:earn|make) (?:up to |over |at least )?[$£€]\s?\d[\d,.]*k?\+?"
                      r"(?: ?(?:/|a|per) ?(?:month|week|day|mo|wk))?"
                      # "... a month working from home easily": words between the parts.
                      r"(?: (?:working|from|at|home|online|on|your|phone|just|only|by|doing|"
                      r"simple|tasks?)){0,4} (?:easily|effortlessly|"
                      r"with ease|doing nothing|"
                      r"without (?:any )?effort)"),
            ),
            keywords=("anyone can", "everyone can", "anybody at all", "anyone at all",
                      "a child can", "kids can", "student can", "students can", "grandma can",
                      "easily", "effortlessly", "with ease", "doing nothing", "without effort",
                      "without any effort"),
            context=(words(r"[$£€]\s?\d", r"earn\w*", "income", "paid", "pay", "salary"),),
            window=80,
            reach=120,
        ),
        Rule(
            name="en_piece_rate_lure",
            # "$0.05 per box" sold as easy work that needs nothing.
            patterns=(words(r"[$£€]\s?\d[\d.]*\s?(?:per|/|for (?:each|every)|a|each) (?:box|"
                            r"image|picture|photo|label|annotation|tag|caption)(?:es|s)?"),),
            keywords=tuple(f"{per} {unit}" for per in ("per", "/", "each", "every", "a")
                           for unit in ("box", "image", "picture", "photo", "label",
                                        "annotation", "tag", "caption")),
            context=(words("easy", "easily", "simple", r"no (?:experience|degree|skills?|"
                           r"qualifications?)", r"anyone can", r"(?:degree|experience) (?:is )?"
                           r"not (?:needed|required)"),),
            window=80,
            reach=60,
        ),
        Rule(
            name="en_home_typing_job",
            # "Easy typing job, earn Rs 7000 p.m., no target", "SMS sending job from home":
            # the typing/SMS-job lure, sold on earnings rather than on the work.
            patterns=(words(r"(?:easy |simple |online |home based |offline )?(?:typing|"
                            r"non[- ]typing|sms sending|sms processing|copy[- ]paste|form filling|"
                            r"captcha(?: typing| entry| solving)?|ad posting|sms forwarding) "
                            r"(?:jobs?|work)"),),
            keywords=("typing job", "typing work", "sms sending", "sms processing", "copy paste",
                      "copy-paste", "form filling", "captcha", "ad posting", "sms forwarding"),
            context=(words(r"earn\w*", r"rs\.?", "income", r"no targets?",
                           r"without (?:any )?targets?", r"per month", r"p\.?m\.?", "daily",
                           "per day", "a day", "weekly payment", "paid weekly"),),
            window=80,
            reach=60,
        ),
        Rule(
            name="en_hour_a_day_income",
            # "You only need to spend an hour a day to get a steady income of ... dollars".
            patterns=(words(r"(?:only|just) (?:need to )?(?:spend |work |give |invest )?"
                            r"(?:an? |one |1-2 |2-3 |1 to 2 |a few |a couple of |\d+ )"
                            r"(?:hours?|minutes|mins)"
                            r"(?: of your time)?(?: (?:a|per|each|every) day| daily)"),),
            keywords=("a day", "per day", "each day", "every day", "daily"),
            context=(words(r"earn\w*", "income", "profit", "commissions?", r"dollars?",
                           r"rs\.?", "usd", "usdt"),),
            window=100,
            reach=80,
        ),
        Rule(
            name="en_pay_hype",
            patterns=(
                words(r"easy (?:money|cash)", r"(?:fast|quick) cash", r"make money fast",
                      r"earn (?:big|quick|easy) (?:money|cash)"),
                words(r"(?:daily|day) (?:salary|wage|wages|income|pay|payout)",
                      r"(?:salary|wages?|commission) (?:is |are |be |will be )?paid (?:daily|on "
                      r"the "
                      r"same day|every day)",
                      r"(?:get |we )?pa(?:id|y|ys) (?:daily|instantly|same day|"
                      r"every day)",
                      r"(?:earn\w*|(?:make|making) (?:up to |over |at least )?"
                      r"(?:[$£€₹]\s?\d|\d[\d,.]*\s?(?:dollars|usd|rs|rupees|pesos|naira))|"
                      r"salary|wages?|income)"
                      r"(?: [\w$€£.,:/-]+){0,6} ?(?:per day|a day|"
                      r"every (?:single )?day|each day|daily|/ ?day)"),
            ),
            keywords=("easy money", "easy cash", "fast cash", "quick cash", "make money fast",
                      "earn big", "earn quick", "earn easy", "daily", "day salary", "day wage",
                      "day pay", "paid daily", "paid on the same day", "paid every day",
                      "paid instantly", "paid same day", "pay daily", "pays daily", "pay instantly",
                      "pay same day", "pay every day", "per day", "a day", "every day", "each day",
                      "/day", "/ day", "every single day"),
            context=(words(r"part[- /]?(?:full[- ])?time", r"(?:from|at|on the) home",
                           r"home[- ]based", "online", r"(?:mobile )?phone", "smartphone", "simple",
                           "easy", "no experience", "anytime", "no time limit", "whatsapp",
                           "telegram", r"wa\.me", "spare time", "extra income", "1-2 hours",
                           "minutes a day", "cash job", r"tasks?", "venmo", r"t\.me", "tg"),),
            window=120,
            reach=120,
        ),
    ),
    negations=(NEG_ZH, r"beware|scam"),
    post_negations=(POST_NEG_ZH,),
    check=unrealistic_pay_check,
    check_keywords=CHECK_KEYWORDS,
    claim=pay_claim,
)
