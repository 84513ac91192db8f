#include "tests/bench/load/ticket_requests.h"

#include "absl/strings/str_cat.h"

namespace duban::load {
namespace {

// Demo county villages, `township-village`.
const std::vector<std::string> kVillages = {
    "chengguan-dongjie", "chengguan-xiguan", "longquan-shuikou", "longquan-songlin",
    "baima-hetan",       "baima-shangba",    "shiqiao-qiaotou",  "shiqiao-huayuan",
    "qingshui-baiyan",   "qingshui-zhuba",   "liushu-liujia",    "liushu-wangjia",
    "jinshan-jinping",   "shuanghe-hekou",   "qinglong-longtan", "gaofeng-fenghuang",
    "daping-pingba"};

}  // namespace

const std::vector<std::string> kLeadUnits = {
    "nongye",  "ziran",    "zhenxing", "tongji",  "nongban",  "chengguan", "longquan", "baima",
    "shiqiao", "qingshui", "liushu",   "jinshan", "shuanghe", "qinglong",  "gaofeng",  "daping"};

const std::string& LeadUnitOf(uint64_t n) { return kLeadUnits[n % kLeadUnits.size()]; }

v1::CreateTicketRequest CreateRequest(uint64_t n, const std::string& run_id) {
  v1::CreateTicketRequest request;
  v1::Ticket& ticket = *request.mutable_ticket();
  ticket.set_kind(v1::TICKET_KIND_TASK);
  ticket.set_title(absl::StrCat("防返贫监测帮扶集中排查 第", n, "号"));
  ticket.set_detail(
      "对照监测标准逐户排查，建立台账，发现风险及时纳入监测并落实帮扶措施，按期报送排查结果。");
  ticket.set_lead_unit(absl::StrCat("units/", LeadUnitOf(n)));
  ticket.add_cooperating_units(absl::StrCat("units/", LeadUnitOf(n + 1)));
  ticket.set_location(absl::StrCat("units/", kVillages[n % kVillages.size()]));
  request.mutable_due_in()->set_working_days(20);
  if (!run_id.empty()) request.set_request_id(absl::StrCat(run_id, "-", n));
  return request;
}

}  // namespace duban::load
