"""The seed article, reproduced from the visible text of the real page (seed-ra-soat-bang-cap-chuyen-mon.txt).

Body paragraphs and captions are copied verbatim, in order; image blocks sit where the seed shows them.
"""

SEED_ID = 164585

SEED = dict(
    id=SEED_ID,
    title="Rà soát lại bằng cấp chuyên môn của đội ngũ cán bộ, công chức cấp xã",
    sapo="(LĐTĐ) Phó Bí thư Thành ủy Nguyễn Văn Phong đề nghị các đơn vị, địa phương chú trọng công tác đào tạo, bồi dưỡng cán bộ cơ sở. Không ngừng đổi mới nội dung cũng như phương thức đào tạo cán bộ theo hướng thiết thực, hiệu quả và sát với tình hình thực tiễn.",
    cat="thoi-su",
    date="2023-11-16 15:30:00",
    author="P.Ngân",
    tpl="mastercms-2026",
    tags=["Thành ủy Hà Nội", "cán bộ cấp xã", "Nguyễn Văn Phong", "công tác cán bộ"],
    inline="top",
    inline_ids=[164520, 164547],
    jsonld=True,
    author_pos="inside",
    lazy=False,
    sidebar=False,
    interest=True,
    nenxem=[184688, 184690, 184693, 184662, 184670, 184695, 184660],
    tinkhac=[184650, 184612, 184571, 184598, 184566, 184589, 184605, 184545, 184530, 184528],
    body="""
Sáng 16/11, Thành ủy Hà Nội tổ chức Hội nghị quán triệt, triển khai một số văn bản về công tác cán bộ của Ban Thường vụ Thành ủy Hà Nội. Phó Bí thư Thành ủy Nguyễn Văn Phong chủ trì và phát biểu chỉ đạo tại Hội nghị.

Tham dự Hội nghị có các đồng chí Ủy viên Ban Thường vụ Thành ủy Hà Nội: Trưởng ban Tổ chức Thành ủy Vũ Đức Bảo, Trưởng ban Nội chính Thành ủy Nguyễn Quang Đức, Trưởng ban Dân vận Thành ủy Đỗ Anh Tuấn, Bí thư Quận ủy Thanh Xuân Bùi Huyền Mai.

!img ra-soat-bang-cap-1 | Phó Bí thư Thành ủy Nguyễn Văn Phong chủ trì Hội nghị quán triệt, triển khai một số văn bản về công tác cán bộ của Ban Thường vụ Thành ủy Hà Nội.

Tại Hội nghị, Trưởng ban Tổ chức Thành ủy Vũ Đức Bảo đã quán triệt 2 văn bản quan trọng của Ban Thường vụ Thành ủy. Đó là Đề án số 34-ĐA/TU ngày 6/11/2023 của Ban Thường vụ Thành ủy Hà Nội về tạo nguồn, đào tạo, bồi dưỡng, nâng cao chất lượng đội ngũ cán bộ chủ chốt cấp xã thuộc thành phố Hà Nội đến năm 2025 và những năm tiếp theo; Kế hoạch số 188-KH/TU ngày 6/11/2023 của Ban Thường vụ Thành ủy Hà Nội về luân chuyển, điều động, biệt phái, chuyển đổi vị trí công tác cán bộ các ban, ngành, sở thành phố và các quận, huyện, thị xã.

Mục đích của Đề án số 34-ĐA/TU là tiếp tục thực hiện tốt Nghị quyết số 04-NQ/TU ngày 31-5-2021 của Thành ủy Hà Nội (khóa XVII) về “Tập trung xây dựng, nâng cao chất lượng đội ngũ cán bộ các cấp nhiệm kỳ 2020-2025 và các năm tiếp theo” và Quy định số 07-QĐ/TU ngày 16/8/2021 của Ban Thường vụ Thành ủy Hà Nội về luân chuyển, điều động, chuyển đổi vị trí công tác cán bộ, công chức, viên chức thành phố; đồng thời, tăng cường xây dựng chính quyền đô thị và củng cố chính quyền nông thôn, qua đó, tổ chức thực hiện hiệu quả việc phân cấp, ủy quyền.

Theo số liệu thống kê đến ngày 31/12/2022, tổng số cán bộ, công chức cấp xã là 11.473 người (5.405 cán bộ và 6.068 công chức). Trong đó, số lượng cán bộ chủ chốt cấp xã là 3.622 người; tỷ lệ cán bộ nữ chiếm 17,9%; 100% cán bộ chủ chốt cấp xã có trình độ chuyên môn cao đẳng, đại học trở lên (đại học trở lên chiếm 99,9%) và trình độ lý luận chính trị trung cấp trở lên (cao cấp, cử nhân chiếm 18%).

Việc tạo nguồn, xây dựng đội ngũ cán bộ chủ chốt cấp xã có bản lĩnh chính trị, phẩm chất, có trình độ, năng lực và kinh nghiệm thực tiễn đáp ứng yêu cầu nhiệm vụ tình hình mới là yêu cầu cấp bách nhằm chủ động chuẩn bị trước một bước để tạo nguồn cán bộ phục vụ công tác nhân sự đại hội đảng bộ xã, phường, thị trấn nhiệm kỳ 2025-2030 và nguồn cán bộ lâu dài cho cấp trên cơ sở.

Đa số cán bộ chủ chốt cấp xã có kinh nghiệm thực tiễn, bản lĩnh chính trị, phẩm chất đạo đức tốt, có năng lực, trình độ cơ bản đáp ứng yêu cầu nhiệm vụ, hoàn thành tốt nhiệm vụ được giao, tạo những chuyển biến tích cực về năng lực lãnh đạo, sức chiến đấu của các tổ chức cơ sở Đảng ở xã, phường, thị trấn. Đội ngũ cán bộ chủ chốt, công chức các phường cơ bản đáp ứng yêu cầu nhiệm vụ của chính quyền đô thị ở cơ sở.

!img ra-soat-bang-cap-2 | Phó Bí thư Thành ủy Nguyễn Văn Phong phát biểu tại Hội nghị.

Tuy nhiên, trên thực tế, nhận thức và sự quan tâm của một số cấp ủy, Ban Thường vụ, bí thư cấp ủy về công tác tạo nguồn, đào tạo, bồi dưỡng, nâng cao chất lượng đội ngũ cán bộ chủ chốt cấp xã còn hạn chế, thiếu giải pháp đột phá. Trong khi đó, tỷ lệ cán bộ trẻ dưới 35 tuổi còn thấp (mới chiếm 5%); quy định về tiêu chuẩn chức danh cán bộ cấp xã chậm được đổi mới, chưa đáp ứng tiêu chuẩn, điều kiện trong giai đoạn mới, vị trí việc làm cán bộ, công chức cấp xã chưa hoàn thiện.

Trên cơ sở đó, Đề án số 34-ĐA/TU đề ra các nhóm mục tiêu chung, mục tiêu cụ thể cũng như giải pháp triển khai thực hiện. Nhấn mạnh việc kiên quyết thay thế những cán bộ chủ chốt cấp xã không hoàn thành nhiệm vụ, đồng chí Vũ Đức Bảo cho biết, Đề án đề ra mục tiêu đến năm 2025 bố trí đủ 100% số lượng cán bộ cho các chức danh cán bộ chủ chốt cấp xã theo quy định, đáp ứng vị trí việc làm, khung năng lực, tiêu chuẩn chức danh. Phấn đấu tỷ lệ cán bộ chủ chốt cấp xã trẻ dưới 35 tuổi đạt tối thiểu 10%, giữ vững tỷ lệ cán bộ nữ đạt tối thiểu 15%, phấn đấu trong Ban Thường vụ đảng ủy xã, phường, thị trấn có cán bộ nữ.

Về Kế hoạch số 188-KH/TU, đồng chí Vũ Đức Bảo cho biết, mục đích chính của kế hoạch là tăng cường, bổ sung cán bộ có năng lực, chuyên môn phù hợp với yêu cầu vị trí việc làm cho các quận, huyện, thị xã và các cơ quan, đơn vị có khó khăn, khuyết thiếu nguồn nhân sự; tăng cường nguồn nhân lực cho cơ sở để thực hiện phân cấp, ủy quyền; tiếp tục đổi mới công tác đào tạo, bồi dưỡng, sử dụng cán bộ, phát huy sự đổi mới, tích cực, tạo động lực phấn đấu của đội ngũ cán bộ...

!img ra-soat-bang-cap-3 | Trưởng ban Tổ chức Thành ủy Vũ Đức Bảo quán triệt hai văn bản quan trọng của Ban Thường vụ Thành ủy.

Kế hoạch đề ra yêu cầu làm tốt công tác chính trị tư tưởng, bảo đảm dân chủ, khách quan, công khai, minh bạch, công bằng và đúng thẩm quyền. Trong đó, cách làm phải khoa học, thận trọng, chặt chẽ, có lộ trình cụ thể, phù hợp tình hình thực tiễn, cân đối, hài hòa, bảo đảm giữ được sự ổn định, tránh xáo trộn lớn trong đội ngũ cán bộ các địa phương, đơn vị.

Đồng thời, rà soát, đánh giá đúng, đầy đủ về thực trạng đội ngũ cán bộ của các địa phương, cơ quan, đơn vị; xác định rõ những hạn chế, khó khăn trong việc bố trí, sử dụng cán bộ, nhất là việc đáp ứng yêu cầu về chuyên môn, nghiệp vụ theo vị trí việc làm. Xây dựng, hoàn thiện, cụ thể hóa các tiêu chí, tiêu chuẩn chức danh, chức vụ và yêu cầu vị trí việc làm gắn với chức năng, nhiệm vụ và thực tiễn công tác của từng địa phương, cơ quan, đơn vị.

Phát biểu kết luận hội nghị, Phó Bí thư Thành ủy Nguyễn Văn Phong nhấn mạnh tầm quan trọng việc triển khai hiệu quả Đề án số 34-ĐA/TU và Kế hoạch số 188-KH/TU trong công tác cán bộ ở cơ sở. Từ thực tiễn tại các đơn vị hiện nay, qua phát biểu của các đại biểu, Phó Bí thư Thành ủy cho rằng, công tác tạo nguồn, đào tạo, bồi dưỡng, nâng cao chất lượng đội ngũ cán bộ chủ chốt cấp xã thuộc Thành phố vẫn còn nhiều khó khăn, chưa có sự đồng bộ. Trong đó, một số địa phương chưa bảo đảm đủ nguồn cán bộ, công chức có chuyên sâu đối với các lĩnh vực chuyên ngành, như: Quy hoạch kiến trúc, kinh tế nông nghiệp, du lịch nông thôn…

!img ra-soat-bang-cap-4 | Toàn cảnh Hội nghị.

Về nhiệm vụ thời gian tới, Phó Bí thư Thành ủy đề nghị các đơn vị, địa phương chú trọng công tác tạo nguồn, không chỉ tại chỗ, mà cả ở những sở, ngành của Thành phố. Các đơn vị có thể đặt hàng đào tạo đối với các trường đại học trên địa bàn để tạo nguồn cán bộ, công chức; đồng thời, chủ động cập nhật kiến thức cho các đối tượng này. Cùng với đó, không ngừng đổi mới nội dung cũng như phương thức đào tạo cán bộ theo hướng thiết thực, hiệu quả và sát với tình hình thực tiễn.

Trong tháng 12 này, các đơn vị phải xây dựng xong kế hoạch hoặc đề án thực hiện 2 văn bản này của Thành ủy. Căn cứ thực tiễn, các đơn vị triển khai một cách công tâm, khách quan, dân chủ và phải đặt lợi ích tập thể lên trên hết.

Phó Bí thư Thành ủy cũng đề nghị các đơn vị xây dựng kế hoạch và thực hiện tốt việc luân chuyển, điều động và biệt phái cán bộ, trong đó, đặc biệt chú trọng chế độ, chính sách cho các đối tượng này…

Để nâng cao chất lượng đội ngũ cán bộ, công chức cấp xã, đồng chí Nguyễn Văn Phong đề nghị các địa phương rà soát lại bằng cấp chuyên môn và có kế hoạch đào tạo thường xuyên để đáp ứng yêu cầu công việc.
""",
)
