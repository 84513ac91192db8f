// The annotated locks of base/mutex.h: waits end on a signal or on time,
// readers share, a notification is seen by every waiter.
#include "base/mutex.h"

#include <gtest/gtest.h>

#include <thread>

namespace duban {
namespace {

TEST(CondVarTest, AWaitWithNobodySignallingRunsOutOfTime) {
  Mutex mu;
  CondVar cv;
  MutexLock lock(&mu);
  const absl::Time start = absl::Now();
  EXPECT_TRUE(cv.WaitWithTimeout(&mu, absl::Milliseconds(20)));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(20));
  EXPECT_TRUE(cv.WaitWithDeadline(&mu, absl::Now() - absl::Seconds(1)))
      << "a deadline already passed returns at once";
}

TEST(CondVarTest, ASignalWakesTheWaiterWithTheChangeVisible) {
  Mutex mu;
  CondVar cv;
  bool ready = false;
  bool timed_out = false;
  std::thread waiter([&] {
    MutexLock lock(&mu);
    while (!ready && !timed_out) timed_out = cv.WaitWithTimeout(&mu, absl::Minutes(1));
  });
  {
    MutexLock lock(&mu);
    ready = true;
    cv.Signal();
  }
  waiter.join();
  EXPECT_FALSE(timed_out);
}

TEST(CondVarTest, AnEndlessWaitEndsOnASignal) {
  Mutex mu;
  CondVar cv;
  bool ready = false;
  std::thread waiter([&] {
    MutexLock lock(&mu);
    while (!ready) EXPECT_FALSE(cv.WaitWithTimeout(&mu, absl::InfiniteDuration()));
  });
  {
    MutexLock lock(&mu);
    ready = true;
    cv.SignalAll();
  }
  waiter.join();
}

TEST(SharedMutexTest, ReadersHoldItTogetherAndAWriterWaitsForThem) {
  SharedMutex mu;
  Notification first_reading, second_read, writer_done;
  int value = 0;
  std::thread first([&] {
    ReaderMutexLock lock(&mu);
    first_reading.Notify();
    // Only returns because a second reader got in while this one holds it.
    EXPECT_TRUE(second_read.WaitForNotificationWithTimeout(absl::Minutes(1)));
    EXPECT_FALSE(writer_done.HasBeenNotified());
  });
  first_reading.WaitForNotification();
  std::thread second([&] {
    ReaderMutexLock lock(&mu);
    second_read.Notify();
  });
  std::thread writer([&] {
    second_read.WaitForNotification();
    WriterMutexLock lock(&mu);
    value = 1;
    writer_done.Notify();
  });
  first.join();
  second.join();
  writer.join();
  EXPECT_EQ(value, 1);
}

TEST(NotificationTest, EveryWaiterSeesItOnceNotified) {
  Notification done;
  EXPECT_FALSE(done.HasBeenNotified());
  EXPECT_FALSE(done.WaitForNotificationWithTimeout(absl::Milliseconds(1)));
  std::thread a([&] { done.WaitForNotification(); });
  std::thread b([&] { EXPECT_TRUE(done.WaitForNotificationWithTimeout(absl::Minutes(1))); });
  done.Notify();
  a.join();
  b.join();
  EXPECT_TRUE(done.HasBeenNotified());
  EXPECT_TRUE(done.WaitForNotificationWithTimeout(absl::ZeroDuration()));
}

}  // namespace
}  // namespace duban
