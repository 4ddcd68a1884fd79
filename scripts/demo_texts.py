"""The demo complaints' words: matters, findings, remedies, visit comments and the other
texts of each kind of case, in Chinese and in English (used by scripts/seed_demo.py)."""
from decimal import Decimal

ZH = {
    "quality": [
        dict(
            matter="本月初在官方网店购买的港湾牌电热水壶（型号 HK-1702），使用第三天壶底开始漏水，"
                   "插电时手碰到壶身有轻微麻感，担心存在触电隐患。",
            demand="全额退款，并对安全隐患作出书面说明。", nature="product_quality",
            amount=199, severity="ordinary", urgency="urgent",
            verdict="true", methods=["site", "data"],
            facts="对顾客寄回的壶体拆检：底座密封圈装配错位导致渗水，渗水接触电热盘后引起漏电感。"
                  "同批次（批号 2405B）库存抽检20台，发现3台存在相同问题。",
            cause="product_defect",
            cause_text="供应商装配工序中密封圈定位工装磨损，出厂检验未覆盖渗漏测试。",
            impact=("商品无法使用，存在触电风险，顾客受到惊吓。",
                    "顾客已在电商平台发布差评，存在扩散风险。",
                    "同批次在售约600台，需下架排查。"),
            apology="对您购买的电热水壶存在质量问题、给您带来的不便和安全担忧，我们深表歉意。",
            responsibility="主要责任在供应商装配质量；我司来料检验未按规定抽检渗漏项目，负有管理责任。",
            remedies=[("refund", 199, "全额退还货款{amount}元"),
                      ("payment", 100, "安全隐患补偿金{amount}元")],
            measures=[("同批次（2405B）在售商品全部下架复检", "head", 5),
                      ("来料检验增加渗漏与耐压测试项目", "investigator", 15)],
            visit_ok="顾客表示退款和补偿均已收到，对处理速度满意。",
            visit_bad="顾客认为补偿金额偏低，且至今未收到书面的安全说明，对处理结果不满意。"),
        dict(
            matter="在徐汇区漕溪北路门店退换电饭煲时，店员以“包装已拆”为由拒绝办理，"
                   "并当众用不耐烦的语气说“不买就别拆”，让我非常难堪。",
            demand="店员当面道歉，按七天无理由规定办理退货。", nature="service",
            amount=459, severity="ordinary", urgency="normal",
            verdict="partly", methods=["records", "interviews"],
            facts="调阅门店监控并询问当班人员：店员拒绝退货、语气不耐烦属实，未能证实“不买就别拆”的原话。"
                  "该商品符合七天无理由退货条件，应予办理。",
            cause="service_shortfall",
            cause_text="新入职店员未接受退换货政策培训即上岗，门店未张贴退换货规定。",
            impact=("顾客未能及时退货，并在公共场合受到不礼貌对待。",
                    "顾客在大众点评留言，门店评分由4.6降至4.4。",
                    "影响较小。"),
            apology="对门店工作人员的服务态度和错误解释退货政策，我们郑重向您道歉。",
            responsibility="当班店员负直接责任，门店店长负管理责任。",
            remedies=[("refund", 459, "办理退货，全额退款{amount}元"),
                      ("other", 50, "赠送{amount}元门店代金券")],
            measures=[("对全部门店员工开展退换货政策及服务礼仪培训", "manager", 20),
                      ("各门店收银台张贴七天无理由退货规定", "head", 5)],
            visit_ok="顾客已收到退款，店长已当面致歉，顾客表示满意。",
            visit_bad="顾客表示当事店员始终没有亲自道歉，对处理结果不满意。"),
        dict(
            matter="会员日活动页面标注空气净化器会员价1299元，到店结算时按1344元收取，"
                   "多收了45元，收银员说系统价格以结算为准。",
            demand="退还多收的45元差价，并说明原因。", nature="price",
            amount=45, severity="ordinary", urgency="normal",
            verdict="true", methods=["data", "records"],
            facts="核对活动页面截图与收银系统价格记录：活动价格未同步至门店收银系统，"
                  "活动首日共有17笔订单按原价结算。",
            cause="management_gap",
            cause_text="线上活动价格变更未纳入门店系统同步的审批流程。",
            impact=("顾客多付45元。",
                    "可能被认为价格欺诈，存在被市场监管部门处罚的风险。",
                    "需向17名顾客退还差价合计765元。"),
            apology="因我司价格系统未及时同步，导致您多支付了差价，对此我们深表歉意。",
            responsibility="市场部与信息部在价格同步环节存在管理漏洞。",
            remedies=[("refund", 45, "退还差价{amount}元"),
                      ("other", 50, "赠送{amount}元购物券")],
            measures=[("主动联系活动首日受影响的其余16名顾客退还差价", "head", 5),
                      ("建立线上线下价格变更双人复核制度", "manager", 15)],
            visit_ok="差价已退回，顾客对主动排查其他顾客的做法表示认可。",
            visit_bad="顾客认为收银员当时的解释有误导，要求门店书面道歉，对结果不满意。"),
        dict(
            matter="滚筒洗衣机（型号 WD-8012）脱水时剧烈抖动并报E4故障，上月已上门维修一次，"
                   "维修后不到两周又出现同样故障。",
            demand="更换同型号新机。", nature="after_sales",
            amount=2599, severity="ordinary", urgency="normal",
            verdict="true", methods=["records", "site"],
            facts="查阅维修工单：首次维修仅更换减震器，未按规范检查配重块固定螺栓；"
                  "二次上门检测发现配重块螺栓松动，是抖动和E4故障的原因。",
            cause="operator_error",
            cause_text="维修人员未按维修作业指导书完成全项检查。",
            impact=("顾客近一个月无法正常使用洗衣机，两次请假等候维修。",
                    "中等，顾客在朋友圈发文吐槽。",
                    "更换整机成本约1800元。"),
            apology="由于我司维修人员首次维修不到位，给您带来重复故障和多次等候的困扰，我们诚恳致歉。",
            responsibility="维修人员负直接责任，售后服务主管负管理责任。",
            remedies=[("replacement", 2599, "更换同型号全新洗衣机（价值{amount}元）"),
                      ("payment", 200, "误工补偿{amount}元")],
            measures=[("修订洗衣机维修作业指导书，增加维修后试机检查表", "investigator", 10),
                      ("对售后维修人员进行复训和考核", "manager", 20)],
            visit_ok="新洗衣机已安装，使用正常，顾客满意。",
            visit_bad="顾客认为200元误工补偿不足以弥补两次请假的损失，对结果不满意。"),
        dict(
            matter="家里新装的嵌入式燃气灶（型号 GS-330）每次点火后都能闻到明显的燃气味，"
                   "已经关闭总阀不敢使用，家里有老人和小孩。",
            demand="立即上门检测，确认安全隐患并更换。", nature="product_quality",
            amount=1680, severity="major", urgency="critical",
            verdict="true", methods=["site", "data"],
            facts="当日安排技术人员上门检测：左侧炉头进气管接口处密封垫老化开裂，检漏仪测得微量泄漏。"
                  "已现场关阀并拆除该灶具。",
            cause="product_defect",
            cause_text="该批次密封垫材料耐温性能不达标，供应商已书面确认。",
            impact=("存在燃气泄漏安全隐患，顾客家中有老人和儿童。",
                    "如发生事故将严重影响公司声誉，按重大投诉处理。",
                    "同批次已售出约240台，需主动召回检测。"),
            apology="燃气灶存在安全隐患，给您和家人带来了担忧，我们深表歉意，并感谢您及时反馈。",
            responsibility="供应商承担产品缺陷责任；我司品控部门对新供应商首批产品检验不足，负管理责任。",
            remedies=[("replacement", 1680, "免费更换新批次燃气灶并重新安装（价值{amount}元）"),
                      ("payment", 500, "安全隐患补偿金{amount}元")],
            measures=[("对同批次240台燃气灶开展主动召回检测", "head", 10),
                      ("新供应商首批产品实行全数检验", "manager", 20)],
            visit_ok="新灶具已安装，燃气公司检测合格，顾客表示放心、满意。",
            visit_bad="顾客对召回进度有疑虑，担心邻居家同型号灶具的安全，要求公开说明。"),
        dict(
            matter="连续三天拨打客服热线，每次排队超过20分钟后自动挂断，"
                   "冰箱不制冷的问题一直没人处理，冷冻室的食物已经化了。",
            demand="尽快安排维修，赔偿食品损失，并改进热线服务。", nature="service",
            amount=300, severity="ordinary", urgency="urgent",
            verdict="true", methods=["data", "records"],
            facts="调取热线话务数据：投诉期间高峰时段平均等待18分钟，放弃率37%；"
                  "当班坐席因人员离职缺编3人，未启用溢出分流。",
            cause="management_gap",
            cause_text="促销季话务量激增，未提前制定排班和溢出分流预案。",
            impact=("顾客三天未能报修，冷冻食品损失。",
                    "热线接通率低已引起多起投诉。",
                    "影响售后服务口碑。"),
            apology="由于我司热线接通不畅，耽误了您的报修，造成食品损失，我们深感抱歉。",
            responsibility="客户服务部负管理责任。",
            remedies=[("repair", None, "48小时内上门免费维修冰箱"),
                      ("payment", 150, "食品损失补偿{amount}元")],
            measures=[("高峰时段增加临时坐席并开通微信在线报修分流", "manager", 10),
                      ("每周通报热线接通率和放弃率", "manager", 5)],
            visit_ok="冰箱已修好，补偿已到账，顾客满意。",
            visit_bad="顾客表示维修后冰箱制冷仍不稳定，对处理结果不满意。"),
        dict(
            matter="参加以旧换新活动购买双门冰箱，合同承诺的500元补贴一个多月还没有到账，"
                   "打电话问客服只说“在走流程”。",
            demand="补贴立即到账，并给出延误的说明。", nature="contract",
            amount=500, severity="ordinary", urgency="normal",
            verdict="true", methods=["records"],
            facts="核对以旧换新台账：该笔补贴因旧机回收单未上传被财务退回，门店未通知顾客，也无人跟进。",
            cause="operator_error",
            cause_text="门店店员未上传回收单，被退回的付款无人跟进。",
            impact=("顾客应得款项延误一个多月。",
                    "影响较小。",
                    "排查发现另有9笔补贴被退回未付。"),
            apology="由于我司工作失误，您的以旧换新补贴未能按时到账，我们深表歉意。",
            responsibility="门店店员负直接责任，财务部与门店对退回付款未跟进负管理责任。",
            remedies=[("payment", 500, "支付以旧换新补贴{amount}元"),
                      ("payment", 50, "延误补偿{amount}元")],
            measures=[("补付另外9笔被退回的以旧换新补贴", "head", 5),
                      ("每周向门店店长通报被退回的补贴付款", "manager", 10)],
            visit_ok="补贴和延误补偿已到账，顾客满意。",
            visit_bad="顾客认为50元延误补偿与一个多月的等待不相称，表示不满意。"),
        dict(
            matter="购买油烟机时加购了三年延保，电机损坏后申请维修，售后师傅说是“人为原因”"
                   "不在保修范围，要收费380元。",
            demand="按延保免费维修。", nature="contract",
            amount=380, severity="ordinary", urgency="normal",
            verdict="partly", methods=["site", "records"],
            facts="现场勘查：电机进油系油网长期未清洗所致，属延保条款约定的除外情形；"
                  "但销售和维修人员均未向顾客出示条款并解释，沟通方式欠妥。",
            cause="service_shortfall",
            cause_text="延保除外条款在销售和维修环节均未向顾客说明。",
            impact=("顾客认为受到欺骗。", "延保产品的信任度受影响。", "影响较小。"),
            apology="延保除外条款在销售和维修时都没有向您解释清楚，对此我们表示歉意。",
            responsibility="除外条款适用，但销售与售后人员未尽告知义务，售后服务部负沟通不到位的责任。",
            remedies=[("repair", 190, "维修电机，公司承担一半费用{amount}元"),
                      ("other", None, "免费清洗油网一次")],
            measures=[("销售延保时向顾客书面提示除外条款并签字确认", "manager", 15),
                      ("维修收费前须向顾客出示保修条款", "investigator", 10)],
            visit_ok="油烟机已修好，顾客理解了延保条款，表示满意。",
            visit_bad="顾客仍认为延保应全额免费，对只承担一半费用不满意。"),
    ],
    "logistics": [
        dict(
            matter="购买的65寸电视约定周六上午送货安装，送货员迟到5个小时，送到后发现外箱破损、"
                   "屏幕右下角有裂纹，送货员却催促先签收。",
            demand="更换新电视，并对送货员行为作出处理。", nature="after_sales",
            amount=4299, severity="ordinary", urgency="urgent",
            verdict="true", methods=["records", "interviews"],
            facts="调取配送系统轨迹和签收照片：当天该车排单过多导致延误；外箱破损系装卸时跌落，"
                  "送货员未按规定开箱验机。",
            cause="operator_error",
            cause_text="配送员未执行开箱验货规定，配送排单超出车辆运力。",
            impact=("顾客等候一整天，收到的电视无法使用。", "顾客在社交媒体发帖。",
                    "更换电视成本约3200元。"),
            apology="送货严重延误且送达的电视有损坏，给您带来很大不便，我们深表歉意。",
            responsibility="配送员负直接责任，物流配送部负排单管理责任。",
            remedies=[("replacement", 4299, "更换全新同型号电视并免费安装（价值{amount}元）"),
                      ("payment", 300, "延误补偿{amount}元")],
            measures=[("每车每日配送单量设上限", "logistics", 5),
                      ("配送员签收前必须开箱验机并拍照", "logistics", 5)]),
        dict(
            matter="购买空调时合同约定7日内免费上门安装，现已过去15天仍未安排，"
                   "多次催促只得到“排队中”的答复，家里老人怕热。",
            demand="三日内完成安装，并按合同支付违约金。", nature="contract",
            amount=300, severity="ordinary", urgency="urgent",
            verdict="true", methods=["records", "data"],
            facts="核对销售合同与安装派单记录：该订单因地址录入错误未能派单，"
                  "系统显示“待派单”已14天，无人跟进。",
            cause="management_gap",
            cause_text="安装派单异常订单缺少超时预警。",
            impact=("顾客等待安装超过合同期限8天。", "影响较小。", "需支付违约金。"),
            apology="由于我司派单失误，您的空调未能按合同约定时间安装，我们深表歉意。",
            responsibility="物流配送部负管理责任。",
            remedies=[("other", None, "48小时内优先上门安装"),
                      ("payment", 300, "按合同支付延期安装违约金{amount}元")],
            measures=[("派单系统增加超时3天自动预警", "logistics", 10),
                      ("每日核查待派单异常订单", "logistics", 3)]),
    ],
    "transfer": [
        dict(
            matter="新买的对开门冰箱送到第二天就不制冷，送货员说是运输时倒放造成的，"
                   "让我等几天再看，现在冷藏的食物都坏了。",
            demand="更换冰箱，并赔偿食品损失。", nature="product_quality",
            amount=5200, severity="ordinary", urgency="urgent",
            transfer_reason="调取配送记录和装车照片，该冰箱全程直立运输；不制冷应为产品本身故障，"
                            "与配送无关，转质量管理部调查。",
            verdict="true", methods=["site", "data"],
            facts="上门检测：压缩机启动继电器故障，与运输无关；同型号近三个月售后报修率2.1%，高于平均水平。",
            cause="product_defect",
            cause_text="启动继电器批次质量问题，供应商已确认。",
            impact=("顾客冰箱无法使用，食品损失约200元。", "影响较小。",
                    "需与供应商协商批次质量追偿。"),
            apology="新冰箱出现故障，送货员还作了错误的解释，给您带来损失和不便，我们深表歉意。",
            responsibility="产品缺陷由供应商负责；送货员未经检测即作出判断，物流配送部负有管理责任。",
            remedies=[("replacement", 4999, "更换全新同型号冰箱（价值{amount}元）"),
                      ("payment", 200, "食品损失补偿{amount}元")],
            measures=[("向供应商追偿并要求对同批次继电器整改", "head", 15),
                      ("配送员不得对产品故障作出判断，统一转报售后", "logistics", 5)],
            visit_ok="新冰箱运行正常，顾客对处理结果满意。",
            visit_bad="顾客表示更换等了一周，期间多次催问，对处理速度不满意。"),
    ],
    "group": [
        dict(
            matter="阳光花园小区32户业主集体投诉：去年通过我司团购安装的燃气热水器，近一个月陆续出现"
                   "熄火、水温忽冷忽热，部分住户已停用。业主代表3人（王建国、孙丽、马超）到门店反映，"
                   "情绪较为激动，核心诉求是统一检修、严重故障整机更换、书面答复。",
            demand="统一上门检修，故障严重的整机更换，并书面答复全体业主。",
            nature="product_quality", amount=None, severity="group", urgency="urgent",
            order_ref="团购单 GB-阳光花园",
            verdict="true", methods=["site", "data", "interviews"],
            facts="抽查12户：9户热水器水流传感器故障，均为同一批次零部件；其余3户为用户侧水压问题。"
                  "与业主代表座谈两次，已公布检修排期。",
            cause="product_defect",
            cause_text="水流传感器批次质量问题，供应商已承认。",
            impact=("32户住户冬季热水使用受影响。",
                    "业主群内传播，已有媒体询问，需统一口径。",
                    "检修及更换成本约4万元，可向供应商追偿。"),
            apology="因我司团购的热水器质量问题，影响了各位业主的正常生活，我们向全体业主诚恳致歉。",
            responsibility="供应商承担产品缺陷责任；我司团购选品把关不严，负管理责任。",
            remedies=[("repair", None, "32户热水器全部免费上门检修"),
                      ("payment", 6400, "每户补偿200元，共计{amount}元")],
            measures=[("同批次热水器建立回访台账，逐户跟踪", "head", 15),
                      ("与供应商签订质量追偿协议", "manager", 20)],
            visit_ok="业主代表表示检修已全部完成，对处理方式认可。",
            visit_bad="部分业主认为更换进度太慢，对处理结果不满意。"),
        dict(
            matter="23名顾客集体到浦东门店投诉：“满3000返500购物卡”活动结束后门店拒绝返卡，"
                   "称需会员实名且只限指定品牌，但海报上没有写明。顾客推选代表2人（郑浩、谢琳）"
                   "与店长交涉，现场情绪较激动，要求兑现承诺。",
            demand="按海报承诺向全部顾客兑现500元购物卡。",
            nature="price", amount=Decimal("11500"), severity="group", urgency="urgent",
            order_ref="活动 PD-满返-02",
            verdict="true", methods=["records", "interviews"],
            facts="核对活动方案与门店海报：方案中的限制条件（会员实名、指定品牌）未印在海报上，"
                  "门店口头解释不一致。23名顾客均符合海报所示条件。",
            cause="management_gap",
            cause_text="促销海报未经法务和市场部审核即印制。",
            impact=("23名顾客未获得承诺的购物卡。",
                    "现场聚集，有顾客拍视频上网，存在舆情风险。",
                    "兑现成本11500元。"),
            apology="由于我司促销宣传不完整，给各位顾客造成误解和不便，我们诚恳致歉。",
            responsibility="市场部负主要责任，门店店长负现场处置不当的责任。",
            remedies=[("payment", 11500, "向23名顾客每人兑现500元购物卡，共计{amount}元")],
            measures=[("促销海报上线前须经法务和市场部双重审核", "manager", 10),
                      ("修订群体投诉现场处置流程并培训店长", "manager", 20)],
            visit_ok="顾客代表确认购物卡已全部发放，表示满意。",
            visit_bad="部分顾客认为等待时间过长，对处理结果不满意。"),
    ],
    "reject": [
        dict(matter="在某电商平台第三方店铺购买的电风扇，用了一周就不转了，店铺不回复，要求你们负责。",
             demand="退款或换新。", nature="after_sales", amount=129,
             reason="经核实，该商品系在电商平台第三方店铺购买，非我司销售，不属于我司受理范围。"
                    "建议您向该店铺或平台投诉，必要时可拨打12315。"),
        dict(matter="送来的冰箱侧面有一处细小划痕，要求赔偿精神损失费2万元。",
             demand="赔偿精神损失费2万元。", nature="other", amount=20000,
             reason="签收单显示您已验货并确认外观完好，该划痕不影响使用；我司可提供一次免费外观修补，"
                    "但赔偿精神损失的要求缺乏事实和法律依据，不予受理。"),
        dict(matter="2019年买的微波炉坏了，要求免费换一台新的。",
             demand="免费更换新机。", nature="after_sales", amount=699,
             reason="该微波炉购买于2019年，已超出整机保修期和国家“三包”规定的期限，"
                    "免费更换的要求不予受理；我司可提供优惠价有偿维修。"),
    ],
}

EN = {
    "quality": [
        dict(
            matter="The built-in dishwasher (model DW-6014) I bought at your Jing'an store leaks "
                   "from the door seal on every cycle. The water has already damaged the kitchen floor.",
            demand="Replace the dishwasher and pay for the floor repair.", nature="product_quality",
            amount=3800, severity="ordinary", urgency="urgent",
            verdict="true", methods=["site", "records"],
            facts="On-site inspection confirmed water escaping at the lower door seal, which was cut "
                  "about 2 cm during factory assembly. Two units of batch 2406C in stock show the "
                  "same cut. The floorboards under the sink are swollen over about 0.5 m².",
            cause="product_defect",
            cause_text="The supplier's seal-fitting jig has a sharp edge; outgoing inspection has "
                       "no leak test.",
            impact=("The customer cannot use the dishwasher and the kitchen floor is damaged.",
                    "Low so far, but water-damage cases escalate easily.",
                    "Batch 2406C: 85 units sold, 14 in stock."),
            apology="We are sorry that the dishwasher you bought from us leaked and damaged your "
                    "kitchen floor, and for the trouble this has caused you.",
            responsibility="The defect lies with the supplier; our incoming inspection did not check "
                           "the door seal, a management shortfall on our side.",
            remedies=[("replacement", 3299, "A new dishwasher (CNY {amount}) from a checked batch, "
                                            "installed free of charge"),
                      ("payment", 500, "CNY {amount} towards repairing the kitchen floor")],
            measures=[("Check the 14 units of batch 2406C in stock and contact the 85 buyers",
                       "head", 10),
                      ("Add a door-seal leak test to incoming inspection", "investigator", 15)],
            visit_ok="The new dishwasher works well and the floor has been repaired; satisfied.",
            visit_bad="The customer says the payment does not cover the real cost of the floor "
                      "repair; not satisfied."),
        dict(
            matter="At your Xujiahui store a sales assistant refused to exchange a hair dryer that "
                   "stopped working after four days, said I must have dropped it and raised her "
                   "voice in front of other customers.",
            demand="An apology from the assistant and an exchange.", nature="service",
            amount=399, severity="ordinary", urgency="normal",
            verdict="partly", methods=["records", "interviews"],
            facts="CCTV and interviews confirm the refusal and the raised voice; nothing suggests the "
                  "dryer was dropped. The assistant did not know the 7-day exchange rule for faulty "
                  "goods. That she called the customer a liar is not confirmed.",
            cause="service_shortfall",
            cause_text="New staff start on the shop floor before the returns and exchanges training.",
            impact=("The customer was embarrassed in public and left without a working product.",
                    "The customer posted a one-star review on Dianping.",
                    "Minor."),
            apology="We sincerely apologise for the way you were treated at our Xujiahui store and "
                    "for being refused an exchange you were entitled to.",
            responsibility="The sales assistant is directly responsible; the store manager is "
                           "responsible for putting untrained staff on the floor.",
            remedies=[("replacement", 399, "Exchange the hair dryer for a new one (CNY {amount})"),
                      ("other", 50, "A CNY {amount} store voucher")],
            measures=[("Returns and exchanges training for all store staff before they start",
                       "manager", 20),
                      ("Post the 7-day exchange rule at every till", "head", 5)],
            visit_ok="The customer has the new hair dryer and the store manager's apology; satisfied.",
            visit_bad="The assistant never apologised in person; the customer is not satisfied."),
        dict(
            matter="Your app showed the air fryer at CNY 599 with a CNY 100 member coupon, but the "
                   "coupon was refused at checkout and I was charged CNY 699.",
            demand="A refund of the CNY 100 difference.", nature="price",
            amount=100, severity="ordinary", urgency="normal",
            verdict="true", methods=["data", "records"],
            facts="Order data show the coupon was refused on 23 orders on the first day of the "
                  "promotion: the coupon excluded 'new arrivals' and the air fryer carried that "
                  "tag. The promotion page did not mention the exclusion.",
            cause="management_gap",
            cause_text="Marketing changed the product tag after the coupon rules were approved; "
                       "nobody checked the two together.",
            impact=("The customer paid CNY 100 more than advertised.",
                    "An advertised price not honoured: risk of a report to the market regulator.",
                    "23 customers affected, CNY 2,300 in total."),
            apology="We apologise that the price shown in our app was not the price you were charged.",
            responsibility="Marketing and IT share responsibility for not checking the promotion "
                           "rules against the product tags.",
            remedies=[("refund", 100, "Refund the CNY {amount} difference"),
                      ("other", 30, "A CNY {amount} coupon for a next purchase")],
            measures=[("Refund the difference to the 22 other customers affected", "head", 5),
                      ("Check promotion rules and product tags together before launch",
                       "manager", 15)],
            visit_ok="The refund arrived; the customer appreciated that others were refunded too.",
            visit_bad="The customer wants a written statement that the price was misleading."),
        dict(
            matter="My oven (model EO-45) stopped heating. Your engineer replaced a part two weeks "
                   "ago and now it fails again with the same error code F3.",
            demand="A new oven, not a third repair.", nature="after_sales",
            amount=2899, severity="ordinary", urgency="normal",
            verdict="true", methods=["records", "site"],
            facts="The first repair replaced the heating element only; error F3 comes from the "
                  "temperature sensor, which was not tested. The second visit found the sensor faulty.",
            cause="operator_error",
            cause_text="The engineer did not follow the diagnostic checklist for error F3.",
            impact=("No working oven for three weeks; two half-days off work.",
                    "Moderate.", "Replacement costs about CNY 1,900."),
            apology="We are sorry that our first repair did not fix your oven and that you had to "
                    "take time off work twice.",
            responsibility="The service engineer is directly responsible; the after-sales supervisor "
                           "for not checking the repair.",
            remedies=[("replacement", 2899, "A new oven of the same model (CNY {amount})"),
                      ("payment", 200, "CNY {amount} for the time off work")],
            measures=[("Require the diagnostic checklist on every oven job sheet", "investigator", 10),
                      ("Retrain and re-assess the after-sales engineers", "manager", 20)],
            visit_ok="The new oven works; the customer is satisfied.",
            visit_bad="The customer says CNY 200 does not make up for two days off work."),
        dict(
            matter="The oil-filled heater (model OH-2000) I bought last week gave off a burning "
                   "smell and the plug became too hot to touch. There is a baby in the flat and I "
                   "am afraid it could start a fire.",
            demand="Confirm whether the heater is safe, take it back and refund me.",
            nature="product_quality", amount=499, severity="major", urgency="critical",
            verdict="true", methods=["site", "data"],
            facts="Laboratory test of the returned heater: undersized plug pins make poor contact "
                  "and reach 92 °C at full load. 310 units of this batch were sold this winter; "
                  "two similar reports are in the service system.",
            cause="product_defect",
            cause_text="The supplier changed the plug maker without telling us; the new plugs do "
                       "not meet GB 2099.",
            impact=("A fire risk in a home with a baby.",
                    "A safety incident would seriously harm our reputation: a major complaint.",
                    "Possible recall of 310 units."),
            apology="We are very sorry that a heater we sold you was unsafe, and grateful that you "
                    "told us at once.",
            responsibility="The supplier is responsible for the defect; our quality department "
                           "did not re-test after a component change.",
            remedies=[("refund", 499, "A full refund of CNY {amount}"),
                      ("payment", 300, "CNY {amount} in recognition of the safety risk")],
            measures=[("Stop sales of batch OH-2000/2410 and recall the 310 units sold", "head", 10),
                      ("Suppliers must report component changes; re-test before sale",
                       "manager", 20)],
            visit_ok="Refund received; the customer thanked us for the recall.",
            visit_bad="The customer wants written confirmation that the recall has been completed."),
        dict(
            matter="I emailed your service address four times over two weeks about my fridge's "
                   "broken ice maker. Nobody replied, not even an automatic acknowledgement.",
            demand="A repair appointment and an explanation.", nature="service",
            amount=None, severity="ordinary", urgency="normal",
            verdict="true", methods=["data", "records"],
            facts="The mailbox held 412 unread messages. It belonged to a colleague who left in "
                  "March and was never reassigned; the customer's four emails were among them.",
            cause="management_gap",
            cause_text="Shared mailboxes are not on the checklist for staff who leave.",
            impact=("The ice maker went unrepaired for two weeks.",
                    "Other unanswered senders may complain too.",
                    "A backlog of 412 emails."),
            apology="We apologise that your emails went unanswered; that is not the service you "
                    "should expect from us.",
            responsibility="Customer Service management is responsible for the unattended mailbox.",
            remedies=[("repair", None, "Repair the ice maker within two working days, free of charge"),
                      ("other", 100, "A CNY {amount} voucher")],
            measures=[("Clear the email backlog and reply to every sender", "manager", 5),
                      ("Add shared mailboxes to the leavers' checklist; check unanswered mail daily",
                       "manager", 10)],
            visit_ok="The ice maker was repaired; satisfied.",
            visit_bad="The repair took a week longer than promised; not satisfied."),
        dict(
            matter="I traded in my old washing machine when buying a new one. The CNY 400 trade-in "
                   "subsidy in my contract has still not been paid after six weeks.",
            demand="Pay the subsidy now.", nature="contract",
            amount=400, severity="ordinary", urgency="normal",
            verdict="true", methods=["records"],
            facts="Finance held the payment because the store never uploaded the collection slip for "
                  "the old machine, and nobody told the customer.",
            cause="operator_error",
            cause_text="The store clerk did not upload the slip; nobody follows up held payments.",
            impact=("Six weeks' wait for money owed.", "Low.",
                    "Nine other held payments found."),
            apology="We are sorry that your trade-in subsidy was delayed by a mistake on our side.",
            responsibility="The store clerk is directly responsible; Finance and the store share "
                           "responsibility for not following up.",
            remedies=[("payment", 400, "Pay the CNY {amount} trade-in subsidy"),
                      ("payment", 50, "CNY {amount} for the delay")],
            measures=[("Pay the nine other held trade-in subsidies", "head", 5),
                      ("Weekly report of held trade-in payments to store managers", "manager", 10)],
            visit_ok="Both payments arrived; satisfied.",
            visit_bad="The customer says CNY 50 is not enough for six weeks of chasing."),
        dict(
            matter="I bought a three-year extended warranty with my range hood. When the motor "
                   "failed, the engineer called it 'misuse' and wanted CNY 380 for the repair.",
            demand="A free repair under the warranty.", nature="contract",
            amount=380, severity="ordinary", urgency="normal",
            verdict="partly", methods=["site", "records"],
            facts="The motor failed because grease built up in a filter that had not been cleaned "
                  "for a long time, which the warranty excludes. But neither the salesperson nor "
                  "the engineer showed the customer the terms or explained the exclusion.",
            cause="service_shortfall",
            cause_text="Warranty exclusions are not explained at sale or at repair.",
            impact=("The customer feels misled.", "Trust in our extended warranties suffers.",
                    "Minor."),
            apology="We apologise that the warranty exclusion was not explained to you, either "
                    "at the sale or at the repair.",
            responsibility="The exclusion applies, but our staff did not explain it: the "
                           "after-sales team is responsible for the poor communication.",
            remedies=[("repair", 190, "Repair the motor; we pay half, CNY {amount}"),
                      ("other", None, "A free cleaning of the range-hood filter")],
            measures=[("Give customers the warranty exclusions in writing at the sale",
                       "manager", 15),
                      ("Engineers show the warranty terms before quoting a charge",
                       "investigator", 10)],
            visit_ok="The hood works and the customer understands the terms; satisfied.",
            visit_bad="The customer still thinks the warranty should cover the full repair."),
    ],
    "logistics": [
        dict(
            matter="My fridge was delivered four days after the agreed date without any notice. "
                   "I had taken a day off work to wait for it on the original date.",
            demand="Compensation for the lost day.", nature="contract",
            amount=500, severity="ordinary", urgency="normal",
            verdict="true", methods=["records", "data"],
            facts="The delivery was moved when the van broke down; the dispatcher rescheduled it in "
                  "the system but the customer notification failed because of a mistyped phone number.",
            cause="operator_error",
            cause_text="Phone numbers are typed twice (sale and dispatch) with no check.",
            impact=("A wasted day off work.", "Low.", "Minor."),
            apology="We are sorry that we did not tell you your delivery had been moved.",
            responsibility="Logistics is responsible for not confirming the new date with you.",
            remedies=[("payment", 200, "CNY {amount} for the lost day")],
            measures=[("Dispatch takes the phone number from the sales order, not retyped",
                       "logistics", 10)]),
        dict(
            matter="The installers for my air conditioner missed two appointments. Each time I "
                   "waited at home all morning and nobody called.",
            demand="Installation this week and an explanation.", nature="contract",
            amount=None, severity="ordinary", urgency="urgent",
            verdict="true", methods=["records", "interviews"],
            facts="The installation team was double-booked on both days; the scheduler does not "
                  "check team capacity.",
            cause="management_gap",
            cause_text="Installation slots are booked without checking the team's capacity.",
            impact=("Two wasted mornings; still no air conditioning.", "Low.", "Minor."),
            apology="We apologise for the two missed appointments and for not calling you.",
            responsibility="Logistics is responsible for the scheduling.",
            remedies=[("other", None, "Installation within two working days, at a time you choose")],
            measures=[("Booking checks the installation team's capacity", "logistics", 15)]),
    ],
    "transfer": [
        dict(
            matter="The washing machine delivered yesterday makes a loud banging noise on spin. "
                   "The delivery crew said it was fine when they left.",
            demand="A replacement machine.", nature="product_quality",
            amount=3499, severity="ordinary", urgency="normal",
            transfer_reason="Our crew removed the transit bolts and test-ran the machine, with "
                            "photos; the noise is not from the delivery. Transferred to Quality.",
            verdict="true", methods=["site"],
            facts="The drum bearing was faulty from the factory; the transit bolts had been "
                  "removed correctly.",
            cause="product_defect",
            cause_text="A bearing defect in this production batch, confirmed by the maker.",
            impact=("The machine cannot be used.", "Low.", "Claim against the maker."),
            apology="We are sorry that your new washing machine was faulty.",
            responsibility="The maker is responsible for the defect.",
            remedies=[("replacement", 3499, "A new machine of the same model (CNY {amount})"),
                      ("payment", 100, "CNY {amount} for the inconvenience")],
            measures=[("Claim the replacement cost from the maker", "head", 15),
                      ("Check the remaining machines of this batch in stock", "investigator", 5)],
            visit_ok="The new machine runs quietly; satisfied.",
            visit_bad="The replacement took nine days; the customer is not satisfied."),
    ],
    "group": [
        dict(
            matter="Tenants of 18 flats at Riverside Residences, Pudong, came with the building "
                   "manager: the water purifiers our team installed in all flats in May drip under "
                   "the sink, and two kitchens have swollen cabinets. Three representatives (Emma "
                   "Wilson, Lucas Thomas, Mia Evans) spoke for the group; calm but firm.",
            demand="Fix every purifier, repair the damaged cabinets, and a written answer to all "
                   "tenants.",
            nature="product_quality", amount=None, severity="group", urgency="urgent",
            order_ref="Project RR-2405 (18 units)",
            verdict="true", methods=["site", "interviews"],
            facts="All 18 units inspected: 15 have a cracked quick-fit connector on the inlet hose "
                  "(one batch); two cabinets are water-damaged.",
            cause="product_defect",
            cause_text="A batch of quick-fit connectors cracks under the building's high water "
                       "pressure; no pressure reducer was fitted.",
            impact=("18 households; two damaged kitchens.",
                    "The building manager may stop recommending us.",
                    "About CNY 15,000 in parts, labour and cabinet repair."),
            apology="We apologise to every tenant of Riverside Residences for the leaks and the "
                    "damage they caused.",
            responsibility="The connector maker is responsible for the batch; our installers "
                           "should have fitted pressure reducers.",
            remedies=[("repair", None, "Replace the connectors and fit pressure reducers in all 18 flats"),
                      ("payment", 6000, "CNY {amount} for the two damaged kitchen cabinets")],
            measures=[("Fit a pressure check to every purifier installation", "head", 10),
                      ("Claim the connector costs from the maker", "manager", 20)],
            visit_ok="The building manager confirmed all 18 flats are dry; satisfied.",
            visit_bad="Two tenants say the cabinet repair is not finished."),
        dict(
            matter="About 15 customers came to the Pudong store together: the 'buy one, get one "
                   "free' offer on electric toothbrushes in our leaflet was refused at the till on "
                   "the first morning. Two representatives (Noah Taylor, Ava Jones) spoke; the "
                   "group was angry and filmed the staff.",
            demand="Honour the offer for everyone who came.",
            nature="price", amount=Decimal("4485"), severity="group", urgency="urgent",
            order_ref="Leaflet PD-0612",
            verdict="true", methods=["records", "interviews"],
            facts="The leaflet went to print without the line 'while stocks last (200 sets)', and "
                  "the store had only 40 sets. 15 customers were refused.",
            cause="management_gap",
            cause_text="Leaflets are printed without a final check against the approved offer.",
            impact=("15 customers refused an advertised offer.",
                    "Video on social media; risk of a regulator inquiry.",
                    "CNY 4,485 to honour the offer."),
            apology="We apologise to everyone who came for an offer our leaflet promised and we "
                    "could not give.",
            responsibility="Marketing is mainly responsible; the store manager for how the "
                           "group was received.",
            remedies=[("other", 4485, "Honour the offer for all 15 customers (CNY {amount} in total)")],
            measures=[("Final check of every leaflet against the approved offer", "manager", 10),
                      ("Train store managers in receiving group complaints", "manager", 20)],
            visit_ok="The representatives confirmed every customer received the free brush.",
            visit_bad="Some customers say they were kept waiting too long for the stock."),
    ],
    "reject": [
        dict(matter="The electric fan I bought from a marketplace shop stopped after a week. The "
                    "shop does not answer, so you must take responsibility.",
             demand="A refund or a new fan.", nature="after_sales", amount=129,
             reason="The fan was sold by a third-party shop on the marketplace, not by us, so the "
                    "complaint is outside what we can handle. Please contact the shop or the "
                    "marketplace; you can also call 12315."),
        dict(matter="The TV I bought 34 days ago is now CNY 300 cheaper. I want the difference back.",
             demand="A refund of CNY 300.", nature="price", amount=300,
             reason="Our price protection covers 7 days from purchase; your purchase was 34 days "
                    "before the price change, so there is no basis for refunding the difference."),
        dict(matter="My microwave from 2019 has broken. I want a new one free of charge.",
             demand="A free replacement.", nature="after_sales", amount=699,
             reason="The microwave is outside both our warranty and the statutory 'three "
                    "guarantees' period, so a free replacement cannot be accepted; we can offer a "
                    "discounted repair."),
    ],
}

TEXT = {
    "zh": dict(
        requirements=["请于5个工作日内核实事实、查明原因并提出处理建议，处理期间与顾客保持沟通。",
                      "请调取相关记录，核实顾客所述情况，明确责任并提出补偿意见。",
                      "涉及产品安全，请优先处理：24小时内联系顾客，必要时上门检测。"],
        ext_reason=["需等待供应商出具第三方检测报告，预计还需5个工作日。",
                    "涉及多名顾客，需逐户上门核实，申请延长5个工作日。"],
        ext_ok="同意延期，请在新期限内完成调查。",
        ext_no="现有证据已足以形成结论，不同意延期，请按期完成。",
        review=["同意处理建议，补偿标准符合公司规定。", "事实清楚，处理建议合理，报分管领导审批。"],
        return1="补偿金额依据不足，请补充同类案件的处理标准，并明确整改措施的完成时限。",
        return2="整改措施不够具体，请明确培训范围和验收方式后重新提交。",
        approve=["同意。请客户服务部在3个工作日内书面答复顾客。", "同意处理方案，请抓紧落实整改措施。"],
        accept_note="顾客电话确认接受处理方案。",
        appeal="顾客不接受处理结果，认为补偿不足以弥补实际损失，要求重新核定。",
        mediation=("上海市浦东新区消费者权益保护委员会", "浦消调〔{year}〕{n}号"),
        arbitration=("上海仲裁委员会", "沪仲案字〔{year}〕第{n}号"),
        outcome="经消保委调解，顾客同意按原处理方案执行，双方签署了调解协议。",
        done=["已完成，凭证已存档。", "已落实，顾客签收确认。", "已完成并经部门负责人验收。"],
        waive="顾客明确表示不需要此项补偿，经分管领导同意不再执行。",
        reopen="回访中顾客表示问题没有解决，重新调查。",
        close="处理决定已全部执行，回访满意，同意办结。",
        revised="补充调查：",
        revised_resp="（复核后修订）",
        evidence=("聊天记录.txt", "顾客与在线客服的沟通记录（摘要）\n订单号：{order}\n顾客：{name}\n{matter}\n"),
        names=["张伟", "王芳", "李秀英", "刘洋", "陈杰", "杨敏", "黄磊", "周婷", "吴刚", "徐静",
               "孙丽", "马超", "朱红", "胡军", "郭敏", "何平", "高峰", "林晓燕", "罗斌", "梁雪",
               "宋佳", "郑浩", "谢琳", "韩冬", "唐建国", "冯淑珍", "于洋", "董明", "萧雨", "程立新"],
        addresses=["上海市浦东新区世纪大道1200弄5号602室", "上海市徐汇区漕溪北路398号12楼",
                   "上海市静安区江宁路1018弄3号401室", "上海市闵行区七莘路2888弄21号1101室",
                   "上海市杨浦区国定路335号2号楼", "上海市普陀区真北路1688弄8号",
                   "上海市长宁区天山路600弄2号702室", "上海市宝山区牡丹江路1211号"],
    ),
    "en": dict(
        requirements=["Please establish the facts and the cause within 5 working days and propose "
                      "a remedy; keep the customer informed.",
                      "Check the records, confirm what the customer reports, and say who is "
                      "responsible and what we should offer.",
                      "A safety matter: contact the customer within 24 hours and inspect on site "
                      "if needed."],
        ext_reason=["We are waiting for the supplier's third-party test report; 5 more working "
                    "days needed.",
                    "Several customers must be visited one by one; 5 more working days needed."],
        ext_ok="Agreed; please finish within the new deadline.",
        ext_no="The evidence already supports a conclusion; please finish on time.",
        review=["Agreed; the compensation is in line with our policy.",
                "The facts are clear and the proposal is reasonable; for the leader's approval."],
        return1="The compensation is not justified: add the standard used in similar cases and "
                "give the measures firm deadlines.",
        return2="The measures are too vague: say who will be trained and how the result will be "
                "checked, then resubmit.",
        approve=["Approved. Customer Service to send the written reply within 3 working days.",
                 "Approved; please carry out the measures promptly."],
        accept_note="The customer confirmed by phone that they accept the proposal.",
        appeal="The customer does not accept the result: the compensation does not cover the "
               "actual loss. Asks for a review.",
        mediation=("Shanghai Pudong Consumer Rights Protection Commission", "PD-CM-{year}-{n}"),
        arbitration=("Shanghai Arbitration Commission", "SHAC-{year}-{n}"),
        outcome="At mediation the customer agreed to the original settlement; both sides signed "
                "the mediation agreement.",
        done=["Done; receipts filed.", "Done; the customer signed for it.",
              "Done and checked by the department head."],
        waive="The customer said they do not want this remedy; waived with the leader's agreement.",
        reopen="At the return visit the customer said the problem is not solved: investigate again.",
        close="All measures carried out and the customer is satisfied; closed.",
        revised="Further investigation: ",
        revised_resp=" (revised after review)",
        evidence=("chat-transcript.txt", "Online chat with customer service (summary)\n"
                                         "Order: {order}\nCustomer: {name}\n{matter}\n"),
        names=["Emma Wilson", "James Brown", "Olivia Smith", "Noah Taylor", "Ava Jones",
               "Liam Davies", "Mia Evans", "Lucas Thomas", "Sophia Roberts", "Ethan Walker",
               "Isabella Clark", "Mason Wright", "Charlotte Green", "Logan Hall", "Amelia Wood",
               "Elijah King", "Harper Scott", "Oliver Baker", "Evelyn Hill", "Jacob Adams",
               "Abigail Turner", "Henry Moore", "Emily Martin", "Daniel Lee", "Ella Harris",
               "Samuel White", "Grace Lewis", "David Young", "Chloe Allen", "Ryan Mitchell"],
        addresses=["Apt 1502, 88 Century Avenue, Pudong, Shanghai",
                   "Flat 6B, 1018 Jiangning Road, Jing'an, Shanghai",
                   "Room 301, 600 Tianshan Road, Changning, Shanghai",
                   "House 12, 2888 Qixin Road, Minhang, Shanghai",
                   "Unit 9, 1688 Zhenbei Road, Putuo, Shanghai",
                   "18F, 398 Caoxi North Road, Xuhui, Shanghai"],
    ),
}
CASES = {"zh": ZH, "en": EN}
