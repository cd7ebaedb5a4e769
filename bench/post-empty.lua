-- wrk script: an empty POST (manual target refresh).
wrk.method = "POST"
