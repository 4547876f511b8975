"""Labels that the engine and the models keep as plain Chinese text, listed here so that
``huodong translations`` gives each an English text; pages pass them through ``_()``."""

from flask_babel import lazy_gettext as _l

LABELS = (
    # plugins.scoring.ranking.DecidedBy
    _l("按成绩"), _l("并列"), _l("并列（积分均分）"), _l("成绩相同，先达者列前"), _l("成绩相同，比较次项成绩"),
    _l("按比赛结果"), _l("无成绩"),
    # plugins.scoring.measures.ResultStatus
    _l("有效"), _l("犯规"), _l("取消资格"), _l("弃权"),
    # attendance
    _l("按时"), _l("迟到"), _l("早退"), _l("缺席"), _l("请假"), _l("未知"),
    # plugins.scoring.models.MEASURES
    _l("计时（用时少者胜）"), _l("计数（多者胜）"), _l("距离（远者胜）"), _l("评委打分"), _l("淘汰赛（抽签对阵）"),
    _l("直接录入名次"),
    # notes on payout lines (plugins.scoring.prizes.BEST_ONLY_NOTE, plugins.scoring.payout.NOT_COMPETED_NOTE)
    _l("取最好名次，此项不重复奖励"), _l("未参赛，不计发"),
)
