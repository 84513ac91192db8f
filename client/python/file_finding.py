#!/usr/bin/python3
"""Files a finding (督查发现问题) as an inspector, then watches the event stream
until the finding's CREATED event arrives, printing each event it sees.

  PYTHONPATH=stubs ./file_finding.py --server 127.0.0.1:7420 --token inspector \
      --title "村内垃圾堆放未清理" --lead chengguan --severity MAJOR

Needs python3-grpcio, python3-protobuf and the duban.v1 stubs (README.md).
Prints `filed tickets/N` once the finding is stored, one line per event
(`event CURSOR TICKET TYPE ACTOR`), and `seen ...` for the finding's CREATED
event. Exit code 0, or 1 when the server refuses or the event does not come.
"""

import argparse
import sys
import uuid

import grpc

from duban.v1 import event_service_pb2, event_service_pb2_grpc
from duban.v1 import ticket_pb2, ticket_service_pb2, ticket_service_pb2_grpc


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="127.0.0.1:7420", help="duband's host:port")
    parser.add_argument("--token", required=True, help="an INSPECTOR's bearer token")
    parser.add_argument("--watch-token",
                        help="token to watch events with (any role but UNIT_STAFF; "
                             "default: --token)")
    parser.add_argument("--ca", help="PEM CA of duband's certificate: connect with TLS")
    parser.add_argument("--title", required=True)
    parser.add_argument("--detail", default="")
    parser.add_argument("--lead", required=True, help="lead unit id, e.g. chengguan")
    parser.add_argument("--severity", default="NORMAL", choices=["NORMAL", "MAJOR", "HARD_FLAW"])
    parser.add_argument("--location", help="township or village unit id")
    parser.add_argument("--after", type=int, default=0,
                        help="watch events after this cursor (0: from the beginning)")
    parser.add_argument("--timeout", type=float, default=30,
                        help="seconds to wait for the CREATED event")
    return parser.parse_args()


def open_channel(args):
    if args.ca:
        with open(args.ca, "rb") as ca:
            return grpc.secure_channel(args.server, grpc.ssl_channel_credentials(ca.read()))
    return grpc.insecure_channel(args.server)


def bearer(token):
    return [("authorization", f"Bearer {token}")]


def file_finding(channel, args):
    """CreateTicket with kind FINDING; returns the stored Ticket."""
    ticket = ticket_pb2.Ticket(
        kind=ticket_pb2.TICKET_KIND_FINDING,
        title=args.title,
        detail=args.detail,
        lead_unit=f"units/{args.lead}",
        severity=ticket_pb2.Severity.Value(f"SEVERITY_{args.severity}"),
    )
    if args.location:
        ticket.location = f"units/{args.location}"
    # A retry with the same request id returns the first answer, never a second ticket.
    request = ticket_service_pb2.CreateTicketRequest(ticket=ticket, request_id=str(uuid.uuid4()))
    tickets = ticket_service_pb2_grpc.TicketServiceStub(channel)
    return tickets.CreateTicket(request, metadata=bearer(args.token), timeout=10)


def watch_until_created(channel, args, ticket_name):
    """Prints events from args.after on; True once ticket_name's CREATED event is seen."""
    events = event_service_pb2_grpc.EventServiceStub(channel)
    stream = events.WatchEvents(
        event_service_pb2.WatchEventsRequest(after_cursor=args.after),
        metadata=bearer(args.watch_token or args.token),
        timeout=args.timeout,
    )
    try:
        for item in stream:
            event = item.event
            kind = ticket_pb2.EventType.Name(event.type)
            print(f"event {item.cursor} {event.ticket} {kind} {event.actor}", flush=True)
            if event.ticket == ticket_name and event.type == ticket_pb2.EVENT_TYPE_CREATED:
                print(f"seen {kind} of {ticket_name} at cursor {item.cursor}", flush=True)
                return True
    finally:
        stream.cancel()
    return False


def main():
    args = parse_args()
    with open_channel(args) as channel:
        try:
            ticket = file_finding(channel, args)
            print(f"filed {ticket.name} {ticket_pb2.Stage.Name(ticket.stage)}", flush=True)
            if watch_until_created(channel, args, ticket.name):
                return 0
            print(f"the stream ended before the CREATED event of {ticket.name}", file=sys.stderr)
        except grpc.RpcError as error:
            print(f"{error.code().name}: {error.details()}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
