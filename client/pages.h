// CollectPages: calls a List method page after page and gathers the results
// into one response.
//
//   v1::ListUnitsResponse all;
//   grpc::Status status = CollectPages(session, session.directory(),
//       &v1::DirectoryService::Stub::ListUnits, request, /*every_page=*/true, &all);
#ifndef DUBAN_CLIENT_PAGES_H_
#define DUBAN_CLIENT_PAGES_H_

#include <grpcpp/grpcpp.h>

#include "client/session.h"

namespace duban::cli {

// With `every_page` false, one page; `all->next_page_token` is where the
// next call would start ("" at the end).
template <typename Stub, typename Request, typename Response>
grpc::Status CollectPages(Session& session, Stub& stub,
                          grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&,
                                                    Response*),
                          Request request, bool every_page, Response* all) {
  do {
    Response page;
    auto context = session.NewContext();
    grpc::Status status = (stub.*rpc)(context.get(), request, &page);
    if (!status.ok()) return status;
    all->MergeFrom(page);
    request.set_page_token(page.next_page_token());
  } while (every_page && !request.page_token().empty());
  all->set_next_page_token(request.page_token());
  return grpc::Status::OK;
}

}  // namespace duban::cli

#endif  // DUBAN_CLIENT_PAGES_H_
