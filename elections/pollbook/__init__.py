"""The poll book (valgbog) for polling-place officers (valgstyrere).

On election day an officer chooses their polling place, looks a voter up by the number on
the poll card (or the code on it), or by name and birth date, and checks them in. A check-in
marks the roll entry as having voted on paper with ``Voter.mark_voted`` – the same operation
as the online cast – so a person who voted online cannot be checked in and a checked-in
person cannot vote online. After the polls close, one officer enters the paper count for the
place and a second, different officer confirms it. Every step writes the election's audit log.

* ``access`` – who may use the poll book (officers, two-factor), and at which polling place;
* ``rules`` – when: check-ins while voting is open, the count after the close;
* ``checkin`` – finding a voter and checking them in;
* ``counting`` – entering and confirming the paper count;
* ``officers`` – the secretariat assigns officers to polling places;
* ``forms``, ``views``, ``urls`` – the pages.
"""
