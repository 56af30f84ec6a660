"""Replica articles, part B: old pages of the 2020 template, and recent news across the other categories.

Same body mini-language as articles_a.py.
"""

ARTICLES_B = [
    # ------------------------------------------------------------ the 2020 template (old ids)
    dict(
        id=81759, cat="cong-doan", date="2020-03-12 09:15:00", author="Hồng Minh", tpl="ldtd-2020",
        title="Công đoàn Hà Nội hỗ trợ đoàn viên bị ảnh hưởng bởi dịch Covid-19",
        sapo="(LĐTĐ) Liên đoàn Lao động thành phố Hà Nội vừa quyết định trích kinh phí hỗ trợ đoàn viên, người lao động bị mất việc, giảm thu nhập do ảnh hưởng của dịch Covid-19.",
        tags=["Công đoàn Hà Nội", "Covid-19", "đoàn viên"],
        body="""
Theo quyết định, mỗi đoàn viên công đoàn bị chấm dứt hợp đồng lao động hoặc phải nghỉ việc không lương từ 14 ngày trở lên do doanh nghiệp gặp khó khăn vì dịch bệnh sẽ được hỗ trợ 1 triệu đồng.

Các công đoàn cơ sở có trách nhiệm rà soát, lập danh sách đoàn viên thuộc diện hỗ trợ, gửi về công đoàn cấp trên trước ngày 31/3 để tổng hợp.

!img ho-tro-doan-vien | Cán bộ công đoàn trao hỗ trợ cho đoàn viên tại một doanh nghiệp ở Khu công nghiệp Thăng Long.

Chủ tịch Liên đoàn Lao động Thành phố đề nghị các cấp công đoàn bám sát cơ sở, kịp thời nắm bắt tâm tư của người lao động, không để ai bị bỏ lại phía sau trong lúc khó khăn.
""",
    ),
    dict(
        id=81802, cat="lao-dong/viec-lam", date="2020-03-14 10:20:00", author="Bảo Linh", tpl="ldtd-2020",
        title="Hơn 1.500 chỉ tiêu tuyển dụng tại phiên giao dịch việc làm trực tuyến",
        sapo="(LĐTĐ) Trung tâm Dịch vụ việc làm Hà Nội tổ chức phiên giao dịch việc làm trực tuyến đầu tiên với hơn 1.500 chỉ tiêu tuyển dụng của 40 doanh nghiệp.",
        tags=["việc làm", "giao dịch việc làm", "Hà Nội"],
        body="""
Do yêu cầu phòng, chống dịch, phiên giao dịch được tổ chức hoàn toàn trực tuyến. Người lao động và nhà tuyển dụng phỏng vấn qua các nền tảng trực tuyến mà không cần đến sàn giao dịch.

Các vị trí tuyển dụng tập trung vào nhóm ngành điện tử, may mặc, bán hàng, kế toán và công nghệ thông tin, với mức lương từ 5 đến 15 triệu đồng mỗi tháng.

Trung tâm Dịch vụ việc làm Hà Nội cho biết sẽ duy trì hình thức giao dịch trực tuyến định kỳ hằng tuần trong thời gian dịch bệnh còn diễn biến phức tạp.
""",
    ),
    dict(
        id=82410, cat="giao-duc", date="2020-04-02 16:40:00", author="Lam Giang", tpl="ldtd-2020",
        title="Học sinh Hà Nội học qua truyền hình trong thời gian nghỉ phòng dịch",
        sapo="(LĐTĐ) Từ ngày 6/4, học sinh lớp 9 và lớp 12 trên địa bàn Hà Nội sẽ được học các bài ôn tập qua sóng truyền hình.",
        tags=["học qua truyền hình", "Sở Giáo dục và Đào tạo Hà Nội"],
        body="""
Sở Giáo dục và Đào tạo Hà Nội phối hợp với Đài Phát thanh và Truyền hình Hà Nội xây dựng chương trình ôn tập các môn thi vào lớp 10 và thi tốt nghiệp trung học phổ thông.

Các bài giảng do giáo viên giỏi của các trường trên địa bàn thực hiện, phát sóng vào buổi sáng và phát lại vào buổi chiều để học sinh thuận tiện theo dõi.

## Nhà trường phối hợp với phụ huynh

Các trường được yêu cầu hướng dẫn học sinh theo dõi bài giảng, giao bài tập và kiểm tra mức độ tiếp thu qua các ứng dụng trực tuyến.

Phụ huynh được khuyến khích dành thời gian đồng hành cùng con, tạo góc học tập yên tĩnh trong thời gian học ở nhà.
""",
    ),
    dict(
        id=83155, cat="y-te/an-toan-thuc-pham", date="2020-04-20 08:30:00", author="Thu Trang", tpl="ldtd-2020",
        title="Tăng cường kiểm tra an toàn thực phẩm tại các chợ dân sinh",
        sapo="(LĐTĐ) Ban Chỉ đạo liên ngành vệ sinh an toàn thực phẩm Hà Nội yêu cầu các quận, huyện tăng cường kiểm tra an toàn thực phẩm tại chợ dân sinh, nhất là các mặt hàng tươi sống.",
        tags=["an toàn thực phẩm", "chợ dân sinh"],
        body="""
Theo kế hoạch, các đoàn kiểm tra sẽ tập trung vào nguồn gốc, xuất xứ thực phẩm, điều kiện bảo quản và việc chấp hành quy định về giết mổ gia súc, gia cầm.

!img kiem-tra-cho | Đoàn kiểm tra liên ngành lấy mẫu thực phẩm tại chợ Long Biên.

Qua kiểm tra nhanh, lực lượng chức năng đã phát hiện một số mẫu rau có dư lượng thuốc bảo vệ thực vật vượt ngưỡng cho phép, yêu cầu tiêu hủy.

Người dân được khuyến cáo lựa chọn thực phẩm có nguồn gốc rõ ràng, phản ánh kịp thời các hành vi vi phạm tới đường dây nóng của Ban Chỉ đạo.
""",
    ),
    dict(
        id=84021, cat="phap-luat/tin-nong", date="2020-05-08 19:05:00", author="Hải Nam", tpl="ldtd-2020",
        title="Triệt phá đường dây cho vay nặng lãi qua ứng dụng điện thoại",
        sapo="(LĐTĐ) Công an thành phố Hà Nội vừa triệt phá đường dây cho vay nặng lãi qua ứng dụng điện thoại với lãi suất lên tới 1.000%/năm.",
        tags=["tín dụng đen", "cho vay nặng lãi", "Công an Hà Nội"],
        nfd_page=True,
        body="""
Theo cơ quan điều tra, nhóm đối tượng lập nhiều ứng dụng cho vay trên điện thoại, quảng cáo thủ tục đơn giản, giải ngân nhanh để lôi kéo người vay.

Khi người vay chậm trả, các đối tượng gọi điện đe dọa, nhắn tin bôi nhọ tới người thân, đồng nghiệp của người vay nhằm ép trả nợ.

Công an Thành phố khuyến cáo người dân không vay tiền qua các ứng dụng không rõ nguồn gốc, không cung cấp thông tin cá nhân, danh bạ cho các ứng dụng lạ.
""",
    ),
    # ------------------------------------------------------------ recent news
    dict(
        id=202594, cat="lao-dong", date="2026-11-10 08:05:00", author="Minh Hà", tpl="mastercms-2026",
        title="Nhu cầu tuyển dụng lao động cuối năm tại Hà Nội tăng mạnh",
        sapo="(LĐTĐ) Những tháng cuối năm, nhiều doanh nghiệp trên địa bàn Hà Nội tăng tuyển dụng để đáp ứng đơn hàng, nhất là trong các ngành dệt may, điện tử, logistics và thương mại.",
        tags=["tuyển dụng", "thị trường lao động", "Hà Nội"],
        inline="top", jsonld=True,
        body="""
Theo Trung tâm Dịch vụ việc làm Hà Nội, trong tháng 10, các doanh nghiệp đăng ký nhu cầu tuyển dụng hơn 12.000 lao động, tăng khoảng 20% so với cùng kỳ năm trước.

Nhóm ngành có nhu cầu lớn nhất là sản xuất, lắp ráp linh kiện điện tử, tiếp đến là kho vận, giao nhận và bán hàng. Mức lương khởi điểm phổ biến từ 7 đến 10 triệu đồng mỗi tháng.

!img tuyen-dung-cuoi-nam | Người lao động tìm hiểu thông tin tuyển dụng tại sàn giao dịch việc làm.

Đáng chú ý, nhiều doanh nghiệp chấp nhận tuyển lao động chưa qua đào tạo và tự đào tạo tại chỗ, đồng thời bổ sung các chính sách nhà ở, xe đưa đón để giữ chân người lao động.

Các chuyên gia khuyến nghị người lao động chủ động nâng cao kỹ năng nghề, nhất là kỹ năng số, để đáp ứng yêu cầu của thị trường [[việc làm]].
""",
    ),
    dict(
        id=202610, cat="cong-doan", date="2026-11-11 14:20:00", author="Hồng Minh", tpl="mastercms-2026",
        title="Công đoàn Thủ đô triển khai chương trình “Tết Sum vầy” năm 2027",
        sapo="(LĐTĐ) Liên đoàn Lao động thành phố Hà Nội vừa ban hành kế hoạch tổ chức chương trình “Tết Sum vầy” năm 2027, phấn đấu chăm lo cho ít nhất 100.000 đoàn viên, người lao động có hoàn cảnh khó khăn.",
        tags=["Tết Sum vầy", "Liên đoàn Lao động thành phố Hà Nội", "chăm lo đoàn viên"],
        inline="middle", author_pos="after",
        body="""
Theo kế hoạch, các cấp công đoàn sẽ tổ chức thăm hỏi, tặng quà cho đoàn viên, người lao động có hoàn cảnh khó khăn, bị tai nạn lao động, mắc bệnh hiểm nghèo.

Bên cạnh đó, chương trình “Chuyến xe mùa xuân” sẽ hỗ trợ vé xe, vé tàu cho người lao động ở xa về quê đón Tết, và “Phiên chợ Tết Công đoàn” bán hàng giảm giá cho đoàn viên.

!inline

Liên đoàn Lao động Thành phố đề nghị các công đoàn cơ sở chủ động phối hợp với người sử dụng lao động, xây dựng phương án thưởng Tết hợp lý, bảo đảm quyền lợi chính đáng cho người lao động.

Kết quả thực hiện chương trình là một trong những tiêu chí đánh giá thi đua của các cấp công đoàn năm 2026.
""",
    ),
    dict(
        id=202655, cat="cong-doan", date="2026-11-12 16:45:00", author="Thanh Tâm", tpl="mastercms-2023",
        title="Ký kết thỏa ước lao động tập thể nhóm doanh nghiệp ngành dệt may",
        sapo="(LĐTĐ) Công đoàn ngành Dệt may Hà Nội phối hợp tổ chức lễ ký kết thỏa ước lao động tập thể nhóm doanh nghiệp với nhiều điều khoản có lợi hơn cho người lao động.",
        tags=["thỏa ước lao động tập thể", "dệt may", "công đoàn cơ sở"],
        jsonld=True, author_pos="after",
        body="""
Thỏa ước được ký kết giữa đại diện tập thể người lao động và 12 doanh nghiệp dệt may, áp dụng cho hơn 8.000 người lao động.

Theo đó, mức lương tối thiểu của doanh nghiệp cao hơn lương tối thiểu vùng ít nhất 7%; tiền ăn giữa ca không thấp hơn 30.000 đồng một suất; người lao động được hỗ trợ tiền nhà trọ, tiền gửi trẻ.

!img thoa-uoc-det-may | Đại diện các bên ký kết thỏa ước lao động tập thể.

Đại diện công đoàn ngành cho biết, thỏa ước nhóm giúp các doanh nghiệp nhỏ có cơ sở xây dựng chính sách phúc lợi, đồng thời hạn chế tình trạng người lao động nhảy việc.
""",
    ),
    dict(
        id=202701, cat="dan-sinh", date="2026-11-13 09:30:00", author="Phương Thảo", tpl="mastercms-2026",
        title="Hà Nội đẩy nhanh cải tạo, xây dựng lại chung cư cũ",
        sapo="(LĐTĐ) Thành phố Hà Nội đặt mục tiêu hoàn thành phê duyệt quy hoạch chi tiết cải tạo các khu chung cư cũ trong năm 2027, tạo điều kiện cho hàng nghìn hộ dân có chỗ ở an toàn.",
        tags=["chung cư cũ", "cải tạo đô thị"],
        inline=None, lazy=True,
        body="""
Hiện trên địa bàn Thành phố có hơn 1.500 nhà chung cư cũ, phần lớn được xây dựng từ những năm 1960 - 1990, nhiều công trình đã xuống cấp nghiêm trọng.

Sở Xây dựng cho biết, đã hoàn thành kiểm định chất lượng phần lớn các nhà chung cư, trong đó nhiều nhà được xếp loại nguy hiểm cấp D, cần di dời khẩn cấp.

### Ưu tiên khu tập thể Kim Liên, Thành Công

Thành phố ưu tiên triển khai trước tại các khu tập thể lớn như Kim Liên, Thành Công, Nghĩa Tân với phương án tái định cư tại chỗ.

!img chung-cu-cu | Một khu tập thể cũ xuống cấp trên địa bàn quận Đống Đa.

Người dân được lấy ý kiến về phương án bồi thường, hỗ trợ, tái định cư trước khi dự án được phê duyệt.
""",
    ),
    dict(
        id=202722, cat="dan-sinh", date="2026-11-14 15:10:00", author="Ngọc Ánh", tpl="mastercms-2023",
        title="Nước sạch về với người dân ngoại thành",
        sapo="(LĐTĐ) Sau nhiều năm sử dụng nước giếng khoan, hàng nghìn hộ dân tại các xã ngoại thành phía Nam Hà Nội đã được dùng nước sạch.",
        tags=["nước sạch", "nông thôn mới"],
        body="""
Tuyến ống cấp nước mới dài hơn 20km được đưa vào vận hành, cung cấp nước sạch cho hơn 6.000 hộ dân tại các xã của huyện Thanh Oai và Ứng Hòa.

Bà Nguyễn Thị Hạnh, người dân xã Cao Viên, chia sẻ: gia đình từng phải mua nước bình để nấu ăn vì nước giếng nhiễm asen, nay đã yên tâm hơn nhiều.

Thành phố đặt mục tiêu đến năm 2027, 100% hộ dân nông thôn được sử dụng nước sạch theo quy chuẩn.
""",
    ),
    dict(
        id=202750, cat="bat-dong-san", date="2026-11-15 10:00:00", author="Đức Anh", tpl="mastercms-2026",
        title="Giá căn hộ chung cư Hà Nội tiếp tục tăng trong quý IV",
        sapo="(LĐTĐ) Nguồn cung mới hạn chế trong khi nhu cầu ở thực vẫn lớn khiến giá căn hộ chung cư tại Hà Nội tiếp tục tăng trong quý IV.",
        tags=["giá chung cư", "thị trường bất động sản"],
        inline="top", jsonld=True, lazy=True,
        body="""
Theo báo cáo của các đơn vị nghiên cứu thị trường, giá bán sơ cấp trung bình căn hộ tại Hà Nội đã vượt 70 triệu đồng mỗi mét vuông, tăng hơn 15% so với cùng kỳ.

Phần lớn nguồn cung mới tập trung ở phân khúc cao cấp tại các quận phía Tây, trong khi căn hộ vừa túi tiền gần như vắng bóng.

!img gia-chung-cu | Nhiều dự án chung cư mới tại khu vực phía Tây Hà Nội.

Các chuyên gia cho rằng, để hạ nhiệt giá nhà, cần đẩy mạnh phát triển nhà ở xã hội và tháo gỡ vướng mắc pháp lý cho các dự án đang đình trệ.
""",
    ),
    dict(
        id=202768, cat="bat-dong-san", date="2026-11-16 11:35:00", author="Đức Anh", tpl="mastercms-2023",
        title="Khởi công dự án nhà ở xã hội hơn 2.000 căn tại Đông Anh",
        sapo="(LĐTĐ) Dự án nhà ở xã hội tại huyện Đông Anh với hơn 2.000 căn hộ vừa được khởi công, dự kiến hoàn thành vào năm 2028.",
        tags=["nhà ở xã hội", "Đông Anh"],
        author_pos="after",
        body="""
Dự án có tổng diện tích gần 5ha, gồm 6 tòa nhà cao 15 tầng cùng hệ thống trường học, nhà trẻ và khu vui chơi.

Giá bán dự kiến khoảng 20 triệu đồng mỗi mét vuông, ưu tiên công nhân các khu công nghiệp, người có thu nhập thấp tại khu vực đô thị.

Chủ đầu tư cam kết công khai thông tin, hồ sơ mua nhà để người dân dễ dàng tiếp cận, tránh tình trạng trục lợi chính sách.
""",
    ),
    dict(
        id=202790, cat="quoc-te", date="2026-11-17 07:50:00", author="Minh Châu", tpl="mastercms-2026",
        title="ASEAN thúc đẩy kết nối kinh tế số khu vực",
        sapo="(LĐTĐ) Các nước ASEAN nhất trí đẩy nhanh đàm phán Hiệp định khung về kinh tế số, hướng tới một thị trường số thống nhất trong khu vực.",
        tags=["ASEAN", "kinh tế số"],
        inline=None,
        body="""
Tại hội nghị các quan chức kinh tế cấp cao ASEAN, các nước đánh giá kinh tế số là động lực tăng trưởng mới của khu vực trong thập kỷ tới.

Hiệp định khung về kinh tế số dự kiến bao gồm các nội dung về thương mại điện tử, thanh toán xuyên biên giới, bảo vệ dữ liệu và an ninh mạng.

Việt Nam đề xuất tăng cường hợp tác đào tạo nhân lực số, hỗ trợ doanh nghiệp nhỏ và vừa tham gia chuỗi giá trị số khu vực.
""",
    ),
    dict(
        id=202811, cat="quoc-te", date="2026-11-18 13:15:00", author="Minh Châu", tpl="mastercms-2023",
        title="Nhật Bản tăng tiếp nhận lao động kỹ năng đặc định",
        sapo="(LĐTĐ) Chính phủ Nhật Bản quyết định mở rộng các ngành nghề tiếp nhận lao động kỹ năng đặc định, mở ra thêm cơ hội cho lao động Việt Nam.",
        tags=["xuất khẩu lao động", "Nhật Bản"],
        jsonld=True,
        body="""
Theo quyết định mới, Nhật Bản bổ sung các ngành vận tải đường bộ, đường sắt, lâm nghiệp và chế biến gỗ vào danh sách tiếp nhận lao động kỹ năng đặc định.

Việt Nam hiện là quốc gia có số lượng lao động kỹ năng đặc định đông nhất tại Nhật Bản, chiếm hơn một nửa tổng số.

Cơ quan quản lý khuyến cáo người lao động tìm hiểu kỹ thông tin, chỉ đăng ký qua doanh nghiệp được cấp phép để tránh bị lừa đảo.
""",
    ),
    dict(
        id=202835, cat="giao-duc", date="2026-11-19 09:00:00", author="Lam Giang", tpl="mastercms-2026",
        title="Hà Nội tuyển dụng hơn 2.000 giáo viên cho năm học mới",
        sapo="(LĐTĐ) Sở Giáo dục và Đào tạo Hà Nội vừa công bố kế hoạch tuyển dụng hơn 2.000 giáo viên nhằm khắc phục tình trạng thiếu giáo viên ở các bậc học.",
        tags=["tuyển dụng giáo viên", "Sở Giáo dục và Đào tạo Hà Nội"],
        inline="top", author_pos="after",
        body="""
Theo kế hoạch, chỉ tiêu tuyển dụng tập trung ở bậc mầm non và tiểu học, nơi tình trạng thiếu giáo viên diễn ra gay gắt nhất.

Các môn học mới theo chương trình giáo dục phổ thông như Tin học, Tiếng Anh, Nghệ thuật cũng được ưu tiên chỉ tiêu.

Hình thức tuyển dụng gồm thi tuyển và xét tuyển; thí sinh đăng ký trực tuyến qua cổng thông tin của Sở Nội vụ Hà Nội.
""",
    ),
    dict(
        id=202860, cat="y-te", date="2026-11-19 17:25:00", author="Thu Trang", tpl="mastercms-2026",
        title="Cảnh báo gia tăng bệnh hô hấp khi thời tiết chuyển lạnh",
        sapo="(LĐTĐ) Thời tiết chuyển lạnh, số trẻ nhỏ và người cao tuổi mắc bệnh đường hô hấp đến khám tại các bệnh viện ở Hà Nội tăng rõ rệt.",
        tags=["bệnh hô hấp", "sức khỏe mùa lạnh"],
        inline="middle", jsonld=True, lazy=True,
        body="""
Tại Bệnh viện Nhi Trung ương, số ca trẻ mắc viêm phổi, viêm tiểu phế quản tăng khoảng 30% so với tháng trước.

Các bác sĩ khuyến cáo người dân cần:

- Giữ ấm cơ thể, đặc biệt vùng cổ, ngực và bàn chân.
- Tiêm phòng cúm, phế cầu theo chỉ định.
- Đưa trẻ đi khám ngay khi có dấu hiệu thở nhanh, co rút lồng ngực.

!inline

!img benh-ho-hap | Trẻ em được khám tại Bệnh viện Nhi Trung ương.

Người cao tuổi có bệnh nền như tim mạch, tiểu đường cần duy trì dùng thuốc đều đặn và hạn chế ra ngoài khi trời rét đậm.
""",
    ),
    dict(
        id=202877, cat="xe-cong-nghe", date="2026-11-20 10:40:00", author="Tuấn Kiệt", tpl="mastercms-2026",
        title="Xe máy điện chiếm thị phần ngày càng lớn tại đô thị",
        sapo="(LĐTĐ) Doanh số xe máy điện tại Việt Nam tăng mạnh trong năm 2026, nhất là ở các đô thị lớn, khi người dân quan tâm hơn đến chi phí vận hành và môi trường.",
        tags=["xe máy điện", "giao thông xanh"],
        inline=None, author_pos="inside",
        body="""
Theo số liệu của các hãng, doanh số xe máy điện 10 tháng đầu năm tăng gần 40% so với cùng kỳ, chiếm khoảng 15% tổng lượng xe máy bán ra.

!iframe https://www.youtube.com/embed/xe-may-dien-review

Chi phí sạc điện chỉ bằng khoảng một phần năm chi phí xăng cho cùng quãng đường là lý do chính khiến nhiều người chuyển đổi.

Tuy nhiên, hạ tầng trạm sạc và điểm đổi pin tại các khu chung cư vẫn là vấn đề người dùng quan tâm.
""",
    ),
    dict(
        id=202899, cat="xe-cong-nghe", date="2026-11-20 20:15:00", author="Tuấn Kiệt", tpl="mastercms-2023",
        title="Cảnh giác với thủ đoạn lừa đảo qua tin nhắn giả mạo ngân hàng",
        sapo="(LĐTĐ) Các đối tượng lừa đảo sử dụng trạm phát sóng giả để gửi tin nhắn mạo danh ngân hàng, dẫn dụ người dùng truy cập đường link độc hại.",
        tags=["lừa đảo trực tuyến", "an ninh mạng"],
        body="""
Tin nhắn giả mạo thường thông báo tài khoản bị khóa, điểm thưởng sắp hết hạn và yêu cầu người dùng truy cập đường link để xác thực.

Khi người dùng nhập thông tin đăng nhập và mã OTP, các đối tượng lập tức chiếm quyền tài khoản và chuyển tiền đi.

Các ngân hàng khuyến cáo khách hàng không truy cập đường link lạ, không cung cấp mã OTP cho bất kỳ ai và chỉ giao dịch qua ứng dụng chính thức.
""",
    ),
    dict(
        id=202915, cat="nhip-cau-doanh-nghiep", date="2026-11-21 08:20:00", author="Hải Yến", tpl="mastercms-2026",
        title="Doanh nghiệp Thủ đô đẩy mạnh chuyển đổi xanh",
        sapo="(LĐTĐ) Nhiều doanh nghiệp trên địa bàn Hà Nội đã đầu tư dây chuyền tiết kiệm năng lượng, lắp đặt điện mặt trời áp mái để đáp ứng yêu cầu của thị trường xuất khẩu.",
        tags=["chuyển đổi xanh", "doanh nghiệp"],
        inline="top",
        body="""
Theo Hiệp hội Doanh nghiệp nhỏ và vừa Hà Nội, các thị trường lớn như châu Âu ngày càng siết chặt yêu cầu về phát thải, buộc doanh nghiệp phải thay đổi.

Một doanh nghiệp may mặc tại Thạch Thất cho biết, sau khi lắp điện mặt trời áp mái, chi phí điện giảm gần 30% mỗi tháng.

Tuy vậy, nhiều doanh nghiệp nhỏ vẫn gặp khó khăn về vốn và cần các gói tín dụng xanh với lãi suất ưu đãi.
""",
    ),
    dict(
        id=202940, cat="nhip-cau-doanh-nghiep", date="2026-11-21 15:55:00", author="Hải Yến", tpl="mastercms-2023",
        title="Kết nối cung cầu hàng Việt dịp cuối năm",
        sapo="(LĐTĐ) Hội nghị kết nối cung cầu hàng hóa giữa Hà Nội và các tỉnh, thành phố thu hút hơn 500 doanh nghiệp, hợp tác xã tham gia.",
        tags=["kết nối cung cầu", "hàng Việt"],
        author_pos="after", jsonld=True,
        body="""
Tại hội nghị, nhiều biên bản ghi nhớ hợp tác tiêu thụ nông sản, thực phẩm được ký kết giữa các hệ thống phân phối và nhà sản xuất.

Sở Công Thương Hà Nội cho biết, hoạt động kết nối giúp bảo đảm nguồn cung hàng hóa dồi dào, giá cả ổn định dịp Tết Nguyên đán.

Các sản phẩm OCOP của các địa phương được trưng bày, giới thiệu tới người tiêu dùng Thủ đô.
""",
    ),
    dict(
        id=202962, cat="phap-luat", date="2026-11-22 09:10:00", author="Hải Nam", tpl="mastercms-2023",
        title="Xử phạt nhiều trường hợp vi phạm nồng độ cồn dịp cuối tuần",
        sapo="(LĐTĐ) Trong hai ngày cuối tuần, lực lượng Cảnh sát giao thông Hà Nội đã phát hiện, xử lý hàng trăm trường hợp vi phạm nồng độ cồn.",
        tags=["nồng độ cồn", "an toàn giao thông"],
        body="""
Các tổ công tác được bố trí tại nhiều tuyến phố trung tâm và cửa ngõ Thủ đô, tập trung vào khung giờ tối và đêm.

Nhiều tài xế bị phát hiện vi phạm ở mức cao nhất, bị phạt tiền, tước giấy phép lái xe và tạm giữ phương tiện theo quy định.

Lực lượng chức năng khuyến cáo người dân "đã uống rượu, bia thì không lái xe" để bảo đảm an toàn cho bản thân và cộng đồng.
""",
    ),
    dict(
        id=202985, cat="lao-dong/viec-lam", date="2026-11-23 10:30:00", author="Bảo Linh", tpl="mastercms-2026",
        title="Hơn 3.000 vị trí việc làm tại phiên giao dịch việc làm tháng 11",
        sapo="(LĐTĐ) Phiên giao dịch việc làm tháng 11 do Trung tâm Dịch vụ việc làm Hà Nội tổ chức có hơn 3.000 vị trí tuyển dụng của 60 doanh nghiệp.",
        tags=["việc làm", "giao dịch việc làm"],
        inline="top", jsonld=True,
        body="""
Phiên giao dịch được tổ chức kết hợp trực tiếp và trực tuyến, kết nối tới các điểm cầu tại nhiều quận, huyện.

Các vị trí tuyển dụng chủ yếu là công nhân sản xuất, nhân viên kinh doanh, kỹ thuật viên và nhân viên công nghệ thông tin.

Người lao động tham gia được tư vấn miễn phí về chính sách bảo hiểm thất nghiệp và học nghề.
""",
    ),
    dict(
        id=203010, cat="y-te/an-toan-thuc-pham", date="2026-11-23 14:05:00", author="Thu Trang", tpl="mastercms-2026",
        title="Thu giữ hơn 2 tấn nội tạng động vật không rõ nguồn gốc",
        sapo="(LĐTĐ) Đội Quản lý thị trường số 12 vừa phát hiện, thu giữ hơn 2 tấn nội tạng động vật không rõ nguồn gốc tại một kho đông lạnh ở huyện Thanh Trì.",
        tags=["an toàn thực phẩm", "quản lý thị trường"],
        inline=None, lazy=True,
        body="""
Tại thời điểm kiểm tra, chủ kho không xuất trình được hóa đơn, chứng từ chứng minh nguồn gốc số hàng hóa trên.

!img noi-tang-dong-vat | Lực lượng quản lý thị trường kiểm tra kho đông lạnh.

Toàn bộ số hàng đã bị tạm giữ để xác minh, xử lý theo quy định; cơ quan chức năng tiếp tục điều tra đầu mối tiêu thụ.
""",
    ),
    dict(
        id=203033, cat="thu-do-van-hien", date="2026-11-23 20:00:00", author="Nhóm phóng viên", tpl="mastercms-2026",
        title="Phố cổ Hà Nội: Giữ hồn xưa giữa nhịp sống mới",
        sapo="(LĐTĐ) Hơn một nghìn năm tuổi, khu phố cổ Hà Nội vẫn là nơi lưu giữ nhiều giá trị văn hóa đặc sắc của Thủ đô. Giữa nhịp sống hiện đại, câu chuyện bảo tồn phố cổ đang đặt ra nhiều trăn trở.",
        tags=["phố cổ Hà Nội", "bảo tồn di sản", "Thủ đô văn hiến"],
        media=True, inline=None, lazy=True, jsonld=True, author_pos="after",
        body="""
Khu phố cổ Hà Nội có 36 phố phường với diện tích khoảng 100ha, nằm ở phía Bắc hồ Hoàn Kiếm. Mỗi con phố từng gắn với một nghề thủ công hoặc mặt hàng buôn bán đặc trưng.

!img pho-co-1 | Phố Hàng Mã rực rỡ sắc màu dịp Trung thu.

## Những nếp nhà ống

Nhà ống là kiểu kiến trúc đặc trưng của phố cổ: mặt tiền hẹp, chiều sâu lớn, xen kẽ những khoảng sân trời để lấy ánh sáng và thông gió.

Nhiều ngôi nhà cổ đã được tu bổ theo đúng nguyên mẫu, trở thành điểm tham quan như ngôi nhà số 87 Mã Mây.

!img pho-co-2 | Ngôi nhà cổ 87 Mã Mây sau khi được tu bổ.

## Nghề xưa còn lại

Phố Hàng Thiếc vẫn còn vài hộ giữ nghề gò thiếc; phố Lãn Ông vẫn thơm mùi thuốc bắc. Những người thợ già kể rằng, giữ nghề cũng là giữ một phần ký ức của phố.

> Phố cổ không chỉ là những ngôi nhà, mà là cách người Hà Nội sống, buôn bán và ứng xử với nhau qua nhiều thế hệ.

## Bài toán bảo tồn

Áp lực dân số, du lịch và kinh doanh khiến nhiều công trình bị cơi nới, biến dạng. Thành phố đang triển khai đề án giãn dân phố cổ, đồng thời siết chặt quản lý xây dựng trong khu vực.

!img pho-co-3 | Phố đi bộ Hồ Gươm và khu phố cổ thu hút du khách.

Các chuyên gia cho rằng bảo tồn phải gắn với lợi ích của cư dân, để người dân phố cổ thực sự là chủ thể gìn giữ di sản.
""",
    ),
    dict(
        id=203050, cat="phap-luat/tin-nong", date="2026-11-24 08:40:00", author="Hải Nam", tpl="mastercms-2026",
        title="Bắt giữ nhóm đối tượng trộm cắp xe máy liên quận",
        sapo="(LĐTĐ) Công an quận Hoàng Mai vừa bắt giữ nhóm đối tượng chuyên trộm cắp xe máy tại nhiều quận nội thành, thu giữ 15 xe máy các loại.",
        tags=["trộm cắp xe máy", "Công an Hà Nội"],
        inline="middle", author_pos="after",
        body="""
Theo cơ quan công an, nhóm đối tượng thường lợi dụng đêm khuya, dùng vam phá khóa để trộm xe dựng ở các khu trọ, ngõ nhỏ.

!inline

Sau khi trộm được, các đối tượng tháo rời phụ tùng hoặc bán lại cho các cửa hàng cầm đồ ở ngoại thành.

Công an quận Hoàng Mai khuyến cáo người dân lắp thêm khóa chống trộm và gửi xe tại nơi có người trông giữ.
""",
    ),
    dict(
        id=203072, cat="the-thao", date="2026-11-24 16:30:00", author="Quốc Anh", tpl="mastercms-2026",
        title="Đội tuyển Việt Nam công bố danh sách dự ASEAN Cup",
        sapo="(LĐTĐ) Huấn luyện viên trưởng đội tuyển Việt Nam vừa công bố danh sách 26 cầu thủ chuẩn bị cho ASEAN Cup, với nhiều gương mặt trẻ.",
        tags=["đội tuyển Việt Nam", "ASEAN Cup"],
        inline="top", jsonld=True,
        body="""
Danh sách gồm 3 thủ môn, 9 hậu vệ, 8 tiền vệ và 6 tiền đạo, trong đó có 5 cầu thủ lần đầu được triệu tập.

Đội tuyển sẽ tập trung tại Hà Nội từ ngày 28/11, sau đó đá giao hữu với một đội bóng trong khu vực trước khi bước vào giải.

Ban huấn luyện đặt mục tiêu vào chung kết, đồng thời tạo cơ hội cọ xát cho lứa cầu thủ trẻ.
""",
    ),
    dict(
        id=202999, cat="kinh-te", date="2026-11-23 11:15:00", author="Thu Hằng", tpl="mastercms-2023",
        title="Kim ngạch xuất khẩu 11 tháng ước vượt 400 tỷ USD",
        sapo="(LĐTĐ) Theo Bộ Công Thương, kim ngạch xuất khẩu hàng hóa 11 tháng năm 2026 ước vượt 400 tỷ USD, tăng khoảng 12% so với cùng kỳ.",
        tags=["xuất khẩu", "thương mại"],
        jsonld=True,
        body="""
Nhóm hàng điện tử, máy tính và linh kiện tiếp tục dẫn đầu kim ngạch xuất khẩu, tiếp theo là điện thoại, máy móc thiết bị và dệt may.

Xuất khẩu nông sản cũng ghi nhận kết quả tích cực, trong đó cà phê, rau quả và gạo đều tăng cả về lượng và giá trị.

Bộ Công Thương dự báo cả năm, kim ngạch xuất khẩu có thể đạt mức kỷ lục, thặng dư thương mại tiếp tục được duy trì.
""",
    ),
    dict(
        id=203020, cat="thu-do-van-hien", date="2026-11-23 16:50:00", author="Bảo Ngọc", tpl="mastercms-2026",
        title="Làng gốm Bát Tràng đón lượng khách kỷ lục",
        sapo="(LĐTĐ) Những tháng cuối năm, làng gốm Bát Tràng (Gia Lâm) đón lượng khách tham quan, trải nghiệm tăng mạnh, nhiều ngày cao điểm đạt hàng chục nghìn lượt.",
        tags=["Bát Tràng", "làng nghề", "du lịch"],
        inline="top", lazy=True,
        body="""
Du khách không chỉ mua sắm mà còn trực tiếp nặn gốm, vẽ gốm tại các xưởng, tìm hiểu quy trình làm gốm truyền thống.

!img bat-trang | Du khách trải nghiệm nặn gốm tại làng Bát Tràng.

Bảo tàng gốm Bát Tràng với kiến trúc độc đáo cũng trở thành điểm đến hấp dẫn của giới trẻ.

Chính quyền địa phương đang đầu tư cải tạo hạ tầng giao thông, bãi đỗ xe để phục vụ du khách tốt hơn.
""",
    ),
]
